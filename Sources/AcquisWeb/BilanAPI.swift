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
    }

    struct Bilan: ResponseEncodable {
        struct Words: Encodable { var fier: String; var travailler: String }
        struct Synthesis: Encodable { var texte: String; var objectifs: [String]; var le: String }
        struct Seen: Encodable { var nom: String; var le: String }
        var periode: String
        var motsEleve: Words?
        var synthese: Synthesis?
        var vuParLaFamille: [Seen]
    }

    struct Words: Decodable { var fier: String; var travailler: String }
    struct Synthesis: Decodable { var texte: String; var objectifs: [String]? }

    @Sendable func read(_ request: Request, context: WebContext) async throws -> Bilan {
        let account = try context.account()
        let id = try context.parameters.require("id", as: Int64.self)
        let bilan = try await services.app.students.bilan(studentID: id, period: PeriodBilanRoutes(services: services).period(of: request),
                                                          by: .account(account))
        return Bilan(periode: bilan.period.code,
                     motsEleve: bilan.reflection.map { Bilan.Words(fier: $0.proud, travailler: $0.toWork) },
                     synthese: bilan.synthesis.map { Bilan.Synthesis(texte: $0.text, objectifs: $0.goals, le: $0.writtenOn.iso) },
                     vuParLaFamille: bilan.acknowledgements.map { Bilan.Seen(nom: $0.name, le: CalendarDate($0.at).iso) })
    }

    @Sendable func writeWords(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .student)
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: Words.self, context: context)
        try await services.app.students.writeReflection(studentID: id, period: PeriodBilanRoutes(services: services).period(of: request),
                                                        proud: body.fier, toWork: body.travailler, by: .account(account))
        return Response(status: .noContent)
    }

    @Sendable func writeSynthesis(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .teacher, .admin)
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: Synthesis.self, context: context)
        try await services.app.students.writeSynthesis(studentID: id, period: PeriodBilanRoutes(services: services).period(of: request),
                                                       text: body.texte, goals: body.objectifs ?? [], by: .account(account))
        return Response(status: .noContent)
    }

    @Sendable func acknowledge(_ request: Request, context: WebContext) async throws -> Response {
        let account = try services.require(context, .family)
        let id = try context.parameters.require("id", as: Int64.self)
        try await services.app.students.acknowledge(studentID: id, period: PeriodBilanRoutes(services: services).period(of: request),
                                                    by: .account(account))
        return Response(status: .noContent)
    }
}
