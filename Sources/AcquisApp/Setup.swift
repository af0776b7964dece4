import AcquisCore
import AcquisStorage
import AcquisVigilance
import Foundation

/// A school as its first direction account creates it.
public struct NewSchool: Hashable, Sendable {
    /// The school's UAI: seven digits and a letter (`0579999Z`).
    public var uai: String
    public var name: String
    /// The zone of its winter and spring holidays; nil while unknown.
    public var zone: HolidayCalendar.Zone?

    public init(uai: String, name: String, zone: HolidayCalendar.Zone?) {
        self.uai = uai
        self.name = name
        self.zone = zone
    }
}

/// The first direction account, as the setup page asks for it.
public struct NewDirector: Hashable, Sendable {
    public var login: String
    /// The name people read (« Mme Durand »).
    public var displayName: String
    public var password: String

    public init(login: String, displayName: String, password: String) {
        self.login = login
        self.displayName = displayName
        self.password = password
    }
}

/// Why a school cannot be set up, in words that say what to do.
public enum SetupError: Error, Equatable, CustomStringConvertible {
    /// The link is unknown, used or expired.
    case linkInvalid
    /// The database already holds a school or an account.
    case alreadySetUp
    case invalidUAI(String)
    case nameRequired
    case displayNameRequired
    case invalidLogin(String)
    case passwordTooShort(minimum: Int)
    /// A download period for leavers that is not among the choices.
    case leaverMonths(Int)

    public var description: String {
        switch self {
        case .linkInvalid:
            "ce lien d’installation n’est plus valable (déjà utilisé, ou plus de 24 heures) : relancez le serveur pour en obtenir un nouveau"
        case .alreadySetUp: "l’établissement est déjà installé : connectez-vous"
        case let .invalidUAI(uai): "« \(uai) » n’est pas un code UAI : sept chiffres et une lettre, par exemple 0579999Z"
        case .nameRequired: "indiquez le nom de l’établissement"
        case .displayNameRequired: "indiquez votre nom, tel que les équipes le liront (par exemple Mme Durand)"
        case let .invalidLogin(login):
            "« \(login) » ne convient pas comme identifiant : de 3 à 40 lettres sans accent, chiffres, points, tirets ou soulignés"
        case let .passwordTooShort(minimum): "le mot de passe doit compter au moins \(minimum) caractères"
        case let .leaverMonths(months):
            "« \(months) » mois : choisissez une durée parmi \(LeaverAccess.monthChoices.map(String.init).joined(separator: ", ")) mois"
        }
    }
}

/// The first run: a blank database opens to its school through a one-time link, printed on
/// the console of whoever started the server, valid 24 hours. Whoever opens it creates the
/// school and the first direction account; the link then stops working.
public struct Setup: Sendable {
    let app: App

    /// How long a setup link stays valid.
    public static let linkLifetime: TimeInterval = 24 * 3600
    /// The shortest password an account may have.
    public static let minimumPasswordLength = 10

    /// Whether the database holds no school and no account yet.
    public func isNeeded() async throws -> Bool {
        try await app.read { tx in try tx.setup.isBlank() }
    }

    /// A new setup link's secret, for a blank database; nil once a school is set up. Every
    /// link opened before stops working.
    public func openLink(now: Date = Date()) async throws -> String? {
        let token = Self.newToken()
        let opened = try await app.write { tx in
            guard try tx.setup.isBlank() else { return false }
            try tx.setup.saveToken(hash: Self.hash(token), expiresAt: now.addingTimeInterval(Self.linkLifetime))
            return true
        }
        return opened ? token : nil
    }

    /// Whether a link can still set the school up.
    public func linkIsLive(_ token: String, now: Date = Date()) async throws -> Bool {
        try await app.read { tx in try tx.setup.isBlank() && tx.setup.tokenIsLive(hash: Self.hash(token), now: now) }
    }

    /// Creates the school and its first direction account in one transaction, and uses the
    /// link up. Everything is checked before anything is stored.
    /// - Parameter hash: turns the chosen password into what accounts keep (the front end's hasher).
    @discardableResult
    public func install(token: String, school: NewSchool, director: NewDirector, now: Date = Date(),
                        hash: @Sendable (String) -> String) async throws -> Account {
        let school = try Self.checked(school)
        let director = try Self.checked(director)
        let passwordHash = hash(director.password)
        return try await app.write { tx in
            guard try tx.setup.isBlank() else { throw SetupError.alreadySetUp }
            guard try tx.setup.consumeToken(hash: Self.hash(token), now: now) else { throw SetupError.linkInvalid }
            let schoolID = try tx.setup.createSchool(uai: school.uai, name: school.name)
            try tx.vigilance.setHolidayZone(school.zone, schoolID: schoolID)
            return try tx.accounts.create(NewAccount(login: director.login, passwordHash: passwordHash, role: .admin,
                                                     displayName: director.displayName, schoolUAI: school.uai), at: now)
        }
    }

    static func checked(_ school: NewSchool) throws(SetupError) -> NewSchool {
        var school = school
        school.uai = school.uai.trimmingCharacters(in: .whitespaces).uppercased()
        school.name = school.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard school.uai.count == 8, school.uai.prefix(7).allSatisfy(\.isASCIIDigit),
              let last = school.uai.last, last.isASCII, last.isLetter else { throw .invalidUAI(school.uai) }
        guard !school.name.isEmpty, school.name.count <= 200 else { throw .nameRequired }
        return school
    }

    static func checked(_ director: NewDirector) throws(SetupError) -> NewDirector {
        var director = director
        director.login = director.login.trimmingCharacters(in: .whitespaces).lowercased()
        director.displayName = director.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...40).contains(director.login.count),
              director.login.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) })
        else { throw .invalidLogin(director.login) }
        guard !director.displayName.isEmpty, director.displayName.count <= 100 else { throw .displayNameRequired }
        guard director.password.count >= minimumPasswordLength else { throw .passwordTooShort(minimum: minimumPasswordLength) }
        return director
    }

    /// 256 random bits, URL-safe.
    static func newToken() -> String { StoredSecret.newToken() }

    /// What the database keeps of a link.
    static func hash(_ token: String) -> String { StoredSecret.hash(token) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension App {
    /// The first run of a blank database.
    public var setup: Setup { Setup(app: self) }
}
