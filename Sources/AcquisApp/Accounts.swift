import AcquisCore
import AcquisStorage
import Foundation

/// What a person needs to sign in the first time: printed on their letter, shown once.
public struct AccountLetter: Hashable, Sendable, Codable {
    public var login: String
    public var displayName: String
    public var role: Role
    /// The class of a student, the classes of a teacher.
    public var detail: String
    /// The one-time code, grouped for reading (`ABCD-EFGH`).
    public var code: String
    /// The last day the code is valid.
    public var validUntil: CalendarDate

    public init(login: String, displayName: String, role: Role, detail: String, code: String, validUntil: CalendarDate) {
        self.login = login
        self.displayName = displayName
        self.role = role
        self.detail = detail
        self.code = code
        self.validUntil = validUntil
    }

    private enum CodingKeys: String, CodingKey { case login, displayName, role, detail, code, validUntil }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        login = try values.decode(String.self, forKey: .login)
        displayName = try values.decode(String.self, forKey: .displayName)
        role = try values.decode(Role.self, forKey: .role)
        detail = try values.decode(String.self, forKey: .detail)
        code = try values.decode(String.self, forKey: .code)
        guard let day = CalendarDate(iso: try values.decode(String.self, forKey: .validUntil)) else {
            throw DecodingError.dataCorruptedError(forKey: .validUntil, in: values, debugDescription: "not an ISO day")
        }
        validUntil = day
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(login, forKey: .login)
        try values.encode(displayName, forKey: .displayName)
        try values.encode(role, forKey: .role)
        try values.encode(detail, forKey: .detail)
        try values.encode(code, forKey: .code)
        try values.encode(validUntil.iso, forKey: .validUntil)
    }
}

/// Letters made in one step, kept a day for their PDF and CSV.
public struct LetterBatch: Hashable, Sendable, Codable {
    public var id: Int64
    public var schoolName: String
    public var letters: [AccountLetter]
    /// People who already had an account: nothing was made for them.
    public var skipped: Int
}

/// Why an account cannot be made or changed, in words that say what to do.
public enum AccountError: Error, Equatable, CustomStringConvertible {
    case nameRequired
    case wrongCode
    case passwordTooShort(minimum: Int)
    case unknownLetters

    public var description: String {
        switch self {
        case .nameRequired: "indiquez le prénom et le nom"
        case .wrongCode: "identifiant ou code d’activation incorrect, déjà utilisé ou expiré : demandez un nouveau code à la direction"
        case let .passwordTooShort(minimum): "le mot de passe doit compter au moins \(minimum) caractères"
        case .unknownLetters: "ces lettres ne sont plus disponibles (plus d’un jour) : créez un nouveau code pour les personnes concernées"
        }
    }
}

/// Accounts made by the school's team: a login per person, a one-time activation code on a
/// printable letter, a password the person chooses on first sign-in. Nothing ever shows a
/// password; a code is shown once, on the letters of the step that made it.
public struct SchoolAccounts: Sendable {
    let app: App

    /// How long an activation code stays valid.
    public static let codeLifetimeDays = 30

    /// Accounts for the students of some classes (a class, a level's classes; every class when
    /// nil) who have none yet.
    public func createStudentAccounts(divisions chosen: [String]?, by person: ActingPerson) async throws -> LetterBatch {
        let access = app.access(person), year = app.year, today = app.today
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            let uai = try tx.schools.uai(schoolID: schoolID) ?? ""
            let codes = try Self.classes(chosen, uai: uai, year: year, tx)
            let existing = try tx.accounts.studentsWithAccount(schoolID: schoolID)
            var letters: [AccountLetter] = [], skipped = 0
            for division in codes {
                for stored in try tx.schools.students(inDivision: division, uai: uai, year: year, asOf: today) {
                    guard !existing.contains(stored.id), let reference = stored.student.reference else { skipped += 1; continue }
                    let student = stored.student
                    var letter = try Self.create(NewAccount(login: Self.login(first: student.firstName, last: student.lastName, in: tx),
                                                            passwordHash: "", role: .student, displayName: student.displayName,
                                                            schoolUAI: uai, student: reference),
                                                 detail: division, today: today, tx)
                    // A letter greets « Emma BONNET »; lists keep « BONNET Emma », in alphabetical order.
                    letter.displayName = "\(student.firstName) \(student.lastName)"
                    letters.append(letter)
                }
            }
            return try Self.keep(letters, skipped: skipped, schoolID: schoolID, by: person, tx)
        }
    }

    /// Accounts for the legal guardians of some classes' students (every class when nil) who
    /// have none yet: one per guardian, who then follows each of their children in the school.
    public func createFamilyAccounts(divisions chosen: [String]?, by person: ActingPerson) async throws -> LetterBatch {
        let access = app.access(person), year = app.year, today = app.today
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            let uai = try tx.schools.uai(schoolID: schoolID) ?? ""
            let codes = try Self.classes(chosen, uai: uai, year: year, tx)
            let concerned = Set(try codes.flatMap { try tx.schools.studentIDs(divisionID: tx.schools.division(code: $0, schoolID: schoolID, year: year).id,
                                                                               asOf: today) })
            let existing = try tx.guardians.guardiansWithAccount(schoolID: schoolID)
            var letters: [AccountLetter] = [], skipped = 0
            for stored in try tx.guardians.guardians(schoolID: schoolID) where !Set(stored.childIDs).isDisjoint(with: concerned) {
                guard !existing.contains(stored.id) else { skipped += 1; continue }
                let children = try stored.childIDs.map { try tx.schools.student(studentID: $0, year: year).student }
                let detail = children.map { "\($0.firstName) \($0.lastName)\($0.division.map { " (\($0))" } ?? "")" }.joined(separator: ", ")
                let guardian = stored.guardian
                letters.append(try Self.create(NewAccount(login: Self.login(first: guardian.firstName, last: guardian.lastName, in: tx),
                                                          passwordHash: "", role: .family, displayName: guardian.displayName,
                                                          schoolUAI: uai, guardianID: stored.id),
                                               detail: detail, today: today, tx))
            }
            return try Self.keep(letters, skipped: skipped, schoolID: schoolID, by: person, tx)
        }
    }

    /// Accounts for the school's teachers who have none yet (those STS-web brought in): each
    /// keeps the login given at the import and the classes and groups it listed.
    public func createTeacherAccounts(by person: ActingPerson) async throws -> LetterBatch {
        let access = app.access(person), year = app.year, today = app.today
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            let uai = try tx.schools.uai(schoolID: schoolID) ?? ""
            var letters: [AccountLetter] = [], skipped = 0
            for staff in try tx.staff.staff(schoolID: schoolID, year: year) {
                guard !staff.hasAccount else { skipped += 1; continue }
                letters.append(try Self.create(NewAccount(login: staff.teacher.login, passwordHash: "", role: .teacher,
                                                          displayName: staff.teacher.name, schoolUAI: uai),
                                               detail: staff.teaching.map(\.code).joined(separator: ", "), today: today, tx))
            }
            return try Self.keep(letters, skipped: skipped, schoolID: schoolID, by: person, tx)
        }
    }

    /// An account for a teacher of the school, who teaches `divisions` this year.
    public func createTeacherAccount(firstName: String, lastName: String, divisions: [String],
                                     by person: ActingPerson) async throws -> LetterBatch {
        let access = app.access(person), year = app.year, today = app.today
        try access.require(.admin)
        let first = firstName.trimmingCharacters(in: .whitespacesAndNewlines), last = lastName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !first.isEmpty, !last.isEmpty, first.count <= 60, last.count <= 60 else { throw AccountError.nameRequired }
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            let uai = try tx.schools.uai(schoolID: schoolID) ?? ""
            let new = NewAccount(login: try Self.login(first: first, last: last, in: tx), passwordHash: "", role: .teacher,
                                 displayName: "\(first) \(last.uppercased())", schoolUAI: uai)
            let letter = try Self.create(new, detail: divisions.joined(separator: ", "), today: today, tx)
            try tx.accounts.assign(login: new.login, divisions: divisions, year: year)
            return try Self.keep([letter], skipped: 0, schoolID: schoolID, by: person, tx)
        }
    }

    /// A new code for an account of the school (a lost letter, an expired code); its password
    /// stops working until the person chooses a new one.
    public func resetCode(login: String, by person: ActingPerson) async throws -> LetterBatch {
        let access = app.access(person), today = app.today
        try access.require(.admin)
        return try await app.write { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            guard let managed = try tx.accounts.managedAccounts(schoolID: schoolID).first(where: { $0.account.login == login }) else {
                throw AccountStoreError.unknownAccount(login)
            }
            let (code, letter) = Self.letter(for: managed.account, detail: "", today: today)
            try tx.accounts.setActivationCode(login: login, codeHash: Self.hash(code), expiresAt: Self.expiry(letter.validUntil))
            return try Self.keep([letter], skipped: 0, schoolID: schoolID, by: person, tx)
        }
    }

    /// Disables (or re-enables) an account of the school; its sessions end at once.
    public func setDisabled(login: String, _ disabled: Bool, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        try await app.write { tx in
            let schoolID = try access.schoolID(uai: nil, in: tx)
            guard let managed = try tx.accounts.managedAccounts(schoolID: schoolID).first(where: { $0.account.login == login }),
                  managed.account.login != person.signature
            else { throw AccountStoreError.unknownAccount(login) }
            try tx.accounts.setDisabled(login: login, at: disabled ? Date() : nil)
        }
    }

    /// The school's accounts and where each stands.
    public func managed(by person: ActingPerson) async throws -> [ManagedAccount] {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.accounts.managedAccounts(schoolID: access.schoolID(uai: nil, in: tx)) }
    }

    /// Letters made in the last day by the school's team, for their PDF and CSV.
    public func letters(_ id: Int64, by person: ActingPerson) async throws -> LetterBatch {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in
            guard let upload = try tx.uploads.upload(id: id, now: Date()), upload.kind == .letters,
                  upload.schoolID == (try access.schoolID(uai: nil, in: tx)),
                  var batch = try? JSONDecoder().decode(LetterBatch.self, from: Data(upload.content))
            else { throw AccountError.unknownLetters }
            batch.id = id
            return batch
        }
    }

    // MARK: - Steps

    /// The classes chosen, each once and known this year (an unknown one is refused by name);
    /// every class of the school when none is chosen.
    private static func classes(_ chosen: [String]?, uai: String, year: SchoolYear, _ tx: any StorageTransaction) throws -> [String] {
        let known = try tx.schools.divisions(uai: uai, year: year).map(\.code)
        guard let chosen, !chosen.isEmpty else {
            return try tx.schools.divisions(uai: uai, year: year).filter { $0.kind == "classe" }.map(\.code)
        }
        var codes: [String] = []
        for code in chosen where !codes.contains(code) {
            guard known.contains(code) else { throw SchoolStoreError.unknownDivision(code, year) }
            codes.append(code)
        }
        return codes
    }

    private static func create(_ new: NewAccount, detail: String, today: CalendarDate,
                               _ tx: any StorageTransaction) throws -> AccountLetter {
        let account = try tx.accounts.create(new, at: Date())
        let (code, letter) = letter(for: account, detail: detail, today: today)
        try tx.accounts.setActivationCode(login: account.login, codeHash: hash(code), expiresAt: expiry(letter.validUntil))
        return letter
    }

    private static func letter(for account: Account, detail: String, today: CalendarDate) -> (code: String, letter: AccountLetter) {
        let code = ActivationCode.new()
        return (code, AccountLetter(login: account.login, displayName: account.displayName, role: account.role, detail: detail,
                                    code: ActivationCode.grouped(code), validUntil: today.adding(days: codeLifetimeDays)))
    }

    /// The end of the last valid day, in Paris.
    private static func expiry(_ day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day + 1)) ?? Date()
    }

    private static func keep(_ letters: [AccountLetter], skipped: Int, schoolID: Int64, by person: ActingPerson,
                             _ tx: any StorageTransaction) throws -> LetterBatch {
        let name = try tx.schools.name(schoolID: schoolID) ?? (try tx.schools.uai(schoolID: schoolID) ?? "")
        var batch = LetterBatch(id: 0, schoolName: name, letters: letters, skipped: skipped)
        batch.id = try tx.uploads.save(.letters, schoolID: schoolID, fileName: "lettres", content: Array(try JSONEncoder().encode(batch)),
                                       uploadedBy: person.signature ?? "", at: Date())
        return batch
    }

    /// `Léa`, `MARTIN` → `lea.martin`, then `lea.martin2`… while taken.
    static func login(first: String, last: String, in tx: any StorageTransaction) throws -> String {
        let base = LoginName.base(first: first, last: last)
        var candidate = base, n = 1
        while try tx.accounts.loginTaken(candidate) {
            n += 1
            candidate = "\(base)\(n)"
        }
        return candidate
    }

    static func hash(_ code: String) -> String {
        StoredSecret.hash(ActivationCode.normalized(code))
    }
}

/// Logins made from names: letters without accents, digits, one dot between first and last name.
enum LoginName {
    static func base(first: String, last: String) -> String {
        func part(_ text: String) -> String {
            let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
            return String(folded.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
        }
        let name = [part(first), part(last)].filter { !$0.isEmpty }.joined(separator: ".")
        return String((name.isEmpty ? "compte" : name).prefix(36))
    }
}

/// One-time codes people type from a letter: eight characters without look-alikes (no 0/O,
/// 1/I/L), about 40 bits; grouped by four for reading, typed with or without the dash.
enum ActivationCode {
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    static func new() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func grouped(_ code: String) -> String { "\(code.prefix(4))-\(code.dropFirst(4))" }

    static func normalized(_ typed: String) -> String {
        String(typed.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}

extension SignIn {
    /// First sign-in: the code of the letter and a password the person chooses. The code is
    /// used up; a wrong, used or expired one says whom to ask.
    @discardableResult
    public func activate(login: String, code: String, password: String, hash: @Sendable (String) -> String) async throws -> Account {
        guard password.count >= Setup.minimumPasswordLength else { throw AccountError.passwordTooShort(minimum: Setup.minimumPasswordLength) }
        let codeHash = SchoolAccounts.hash(code), passwordHash = hash(password)
        let login = login.trimmingCharacters(in: .whitespaces).lowercased()
        return try await app.write { tx in
            guard let id = try tx.accounts.activate(login: login, codeHash: codeHash, passwordHash: passwordHash, now: Date()),
                  let account = try tx.accounts.account(id: id)
            else { throw AccountError.wrongCode }
            return account
        }
    }
}

extension Student {
    /// How files and accounts name the student: their INE, else the school's id.
    var reference: StudentReference? { ine.map(StudentReference.ine) ?? localID.map(StudentReference.localID) }
}

extension App {
    /// Accounts made by the school's team, with their letters.
    public var accounts: SchoolAccounts { SchoolAccounts(app: self) }
}
