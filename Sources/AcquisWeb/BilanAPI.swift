import AcquisApp
import AcquisCore
import AcquisReports
import AcquisStorage
import Foundation
import Hummingbird

/// The period's bilan through the JSON API: read by whoever follows the student, the
/// student's words written by the student, the synthesis by the team, « Vu » by the family.
struct BilanAPI {
    let services: WebServices

    func register(on api: RouterGroup<WebContext>) {
        api.get("eleves/{id}/bilan", use: read)
        api.put("eleves/{id}/bilan/mots-eleve", use: writeWords)
        api.put("eleves/{id}/bilan/synthese", use: writeSynthesis)
        api.post("eleves/{id}/bilan/vu", use: acknowledge)
        api.get("classes/{code}/periode", use: classBilans)
        api.post("classes/{code}/periode/cloture", use: close)
        api.post("classes/{code}/periode/reouverture", use: reopen)
    }

    struct Bilan: ResponseEncodable {
        struct Words: Encodable { var fier: String; var travailler: String }
        struct Synthesis: Encodable { var texte: String; var objectifs: [String]; var le: String }
        struct Seen: Encodable { var nom: String; var le: String }
        var periode: String
        var motsEleve: Words?
        var synthese: Synthesis?
        var vuParLaFamille: [Seen]
        /// The class's period is closed: the bilan is final.
        var close: Bool
    }

    struct ClassBilans: ResponseEncodable {
        struct Row: Encodable { var eleve: Int64; var nom: String; var motsEleve: Bool; var synthese: Bool; var vuParLaFamille: Bool }
        struct Event: Encodable { var close: Bool; var par: String; var le: String; var raison: String? }
        var classe: String
        var periode: String
        var close: Bool
        var eleves: [Row]
        var historique: [Event]
    }

    struct Reason: Decodable { var raison: String }

    struct Words: Decodable { var fier: String; var travailler: String }
    struct Synthesis: Decodable { var texte: String; var objectifs: [String]? }

    @Sendable func read(_ request: Request, context: WebContext) async throws -> Bilan {
        let account = try context.account()
        let id = try context.parameters.require("id", as: Int64.self)
        let bilan = try await services.app.students.bilan(studentID: id, period: try await services.bilanPeriod(of: request, for: account),
                                                          by: .account(account))
        return Bilan(periode: bilan.period.code,
                     motsEleve: bilan.reflection.map { Bilan.Words(fier: $0.proud, travailler: $0.toWork) },
                     synthese: bilan.synthesis.map { Bilan.Synthesis(texte: $0.text, objectifs: $0.goals, le: $0.writtenOn.iso) },
                     vuParLaFamille: bilan.acknowledgements.map { Bilan.Seen(nom: $0.name, le: CalendarDate($0.at).iso) },
                     close: bilan.closed)
    }

    @Sendable func classBilans(_ request: Request, context: WebContext) async throws -> ClassBilans {
        let account = try services.require(context, .teacher, .admin)
        let code = try context.parameters.require("code")
        let bilans = try await services.app.classes.bilans(code, period: try await services.bilanPeriod(of: request, for: account),
                                                           by: .account(account))
        return ClassBilans(classe: code, periode: bilans.period.code, close: bilans.isClosed,
                           eleves: bilans.rows.map {
                               ClassBilans.Row(eleve: $0.student.id, nom: $0.student.student.displayName, motsEleve: $0.wroteTheirPart,
                                               synthese: $0.synthesis, vuParLaFamille: $0.seenByFamily)
                           },
                           historique: bilans.history.map {
                               ClassBilans.Event(close: $0.closed, par: $0.actor, le: CalendarDate($0.at).iso, raison: $0.reason)
                           })
    }

    @Sendable func close(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        try await services.app.classes.closePeriod(try context.parameters.require("code"),
                                                   period: try await services.bilanPeriod(of: request, for: account), by: .account(account))
        return Response(status: .noContent)
    }

    @Sendable func reopen(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .admin)
        let body = try await request.decode(as: Reason.self, context: context)
        try await services.app.classes.reopenPeriod(try context.parameters.require("code"), period: try await services.bilanPeriod(of: request, for: account),
                                                    reason: body.raison, by: .account(account))
        return Response(status: .noContent)
    }

    @Sendable func writeWords(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: Words.self, context: context)
        try await services.app.students.writeReflection(studentID: id, period: try await services.bilanPeriod(of: request, for: account),
                                                        proud: body.fier, toWork: body.travailler, by: .account(account))
        return Response(status: .noContent)
    }

    @Sendable func writeSynthesis(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: Synthesis.self, context: context)
        try await services.app.students.writeSynthesis(studentID: id, period: try await services.bilanPeriod(of: request, for: account),
                                                       text: body.texte, goals: body.objectifs ?? [], by: .account(account))
        return Response(status: .noContent)
    }

    @Sendable func acknowledge(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .family)
        let id = try context.parameters.require("id", as: Int64.self)
        try await services.app.students.acknowledge(studentID: id, period: try await services.bilanPeriod(of: request, for: account),
                                                    by: .account(account))
        return Response(status: .noContent)
    }
}
