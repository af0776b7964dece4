import AcquisApp
import AcquisBadges
import AcquisCore
import AcquisOpenBadges
import AcquisPublishing
import AcquisStorage
import Foundation
import Hummingbird

/// When and where a teacher observed, as a form or the API gives it.
struct ObservationInput: Decodable {
    var date: String?
    var contexte: String?
    var entreprise: String?
    var tuteur: String?

    /// The day (today when absent) and the context; a teacher never records a self-evaluation.
    func resolved(today: CalendarDate) throws -> (day: CalendarDate, context: EvaluationContext) {
        let day = try FormDay.read(date, today: today, naming: "Date d’observation")
        if let problem = day.observationProblem(today: today) {
            throw HTTPError(.unprocessableContent, message: "Rien n’a été enregistré : \(problem).")
        }
        guard let context = EvaluationContext(kindName: contexte.nonEmpty ?? "classe", company: entreprise.nonEmpty, tutor: tuteur.nonEmpty),
              context != .autoEvaluation else {
            throw HTTPError(.badRequest, message: "Contexte inconnu : « \(contexte ?? "") » (classe, atelier, pfmp ou projet).")
        }
        return (day, context)
    }
}

/// A day from a form or the API: `AAAA-MM-JJ` as date fields send it, or `JJ/MM/AAAA`.
enum FormDay {
    /// The day written, today when the field is empty; 400 naming the field when unreadable.
    static func read(_ text: String?, today: CalendarDate, naming field: String) throws -> CalendarDate {
        guard let text = text.nonEmpty else { return today }
        guard let day = CalendarDate(iso: text) ?? CalendarDate(french: text) else {
            throw HTTPError(.badRequest, message: "\(field) illisible : « \(text) » (attendu AAAA-MM-JJ).")
        }
        return day
    }
}

/// Badge operations shared by pages and the API; each checks the account may act on the student.
struct BadgeActions {
    let services: WebServices

    /// What awarding asks for, from a form or the API.
    struct Award: Decodable {
        var badge: String
        var preuve: String?
    }

    struct Revocation: Decodable {
        var motif: String
    }

    @discardableResult
    func award(code: String, studentID: Int64, evidence: String?, by account: Account) async throws -> StoredAward {
        let student = try await services.student(studentID, for: account)
        return try await services.app.badges.award(code: code, to: student.reference, evidence: evidence.map { [$0] } ?? [],
                                                   by: .account(account))
    }

    /// Revokes with the published reason; returns the student's id.
    func revoke(uuid: String, reason: String, by account: Account) async throws -> Int64 {
        _ = try await visibleAward(uuid, for: account)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw HTTPError(.badRequest, message: "Indiquez le motif de la révocation : il est publié.") }
        return try await services.app.badges.revoke(uuid: uuid, reason: reason, by: .account(account)).studentID
    }

    /// An award whose student the account may see; 404 otherwise, so ids cannot be probed.
    func visibleAward(_ uuid: String, for account: Account) async throws -> StoredAward {
        do {
            return try await services.app.badges.award(uuid: uuid, by: .account(account))
        } catch BadgeStoreError.unknownAward {
            throw HTTPError(.notFound, message: "Badge introuvable.")
        }
    }

    /// The signed badge baked into its image, as the student downloads it: Open Badges 3.0,
    /// recipient as a salted hash of the INE.
    func baked(_ uuid: String, format: BadgeImageFormat, for account: Account) async throws -> [UInt8] {
        let award = try await visibleAward(uuid, for: account)
        guard !award.isRevoked else { throw HTTPError(.gone, message: "Ce badge a été révoqué : il ne peut plus être téléchargé.") }
        guard let keys = services.keys else {
            throw HTTPError(.serviceUnavailable, message: "Les clés de signature de l’établissement ne sont pas disponibles sur ce serveur.")
        }
        let file: SignedBadge.Format = switch format {
        case .png: .png
        case .svg: .svg
        }
        return try await services.app.publishing.signed(uuid: uuid, as: file, keys: keys, by: .account(account)).bytes
    }
}

/// Evaluation requests and self-evaluations.
struct RequestActions {
    let services: WebServices

    /// A teacher's answer, from a form or the API.
    struct Answer: Decodable {
        var statut: String
        var reponse: String?
    }

    func answer(_ id: Int64, status: String, answer: String?, by account: Account) async throws {
        guard let status = EvaluationRequest.Status(rawValue: status), status != .open else {
            throw HTTPError(.badRequest, message: "Réponse inconnue : « acceptee » ou « reportee ».")
        }
        do {
            try await services.app.requests.answer(id, status: status, answer: answer, by: .account(account))
        } catch EvaluationError.unknownRequest {
            throw HTTPError(.notFound, message: "Demande introuvable.")
        }
    }

    /// A student asks to be evaluated on a competency of a referential they follow.
    @discardableResult
    func request(referential: String, competency: String, message: String?, by account: Account) async throws -> Int64 {
        guard account.role == .student, let studentID = account.studentID else { throw Refusal.role }
        let student = try await services.student(studentID, for: account)
        return try await services.app.requests.ask(referential: referential, competency: competency, message: message,
                                                   for: student.reference, by: .account(account))
    }

    /// A student says where they think they are, in a referential they follow; shown beside
    /// the level, never counted.
    @discardableResult
    func selfEvaluate(referential: String, competency: String, level: String, by account: Account) async throws -> Int64 {
        guard account.role == .student, let studentID = account.studentID else { throw Refusal.role }
        let student = try await services.student(studentID, for: account)
        let entry = EvaluationEntry(student: student.reference, referentialCode: referential, competencyCode: competency,
                                    code: level, observedOn: services.today, context: .autoEvaluation, evaluator: "élève")
        return try await services.app.evaluations.record(entry, by: .account(account)).id
    }
}
