import AcquisBadges
import AcquisCore
import AcquisMedia
import AcquisOpenBadges
import AcquisReports
import AcquisStorage
import Foundation

/// A production as a student or a teacher describes it, before its file is read.
public struct ProductionDraft: Sendable {
    public var student: StudentReference
    public var title: String
    /// The day it was made; today when nil.
    public var day: CalendarDate?
    public var context: ProductionContext
    /// The competencies it shows, by referential code.
    public var competencies: [(referential: String, codes: [String])]

    /// Reads competencies as the command line and the API write them: `CAP-EPC:B1.1,B1.2`,
    /// several referentials separated by `;` (`CAP-EPC:B1.1;LPC-3:D1.1`).
    public static func competencies(_ list: String) throws -> [(referential: String, codes: [String])] {
        try list.split(separator: ";").map { part in
            let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let codes = pair.count == 2 ? pair[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            guard pair.count == 2, !pair[0].isEmpty, !codes.isEmpty else { throw PortfolioError.competencyList(String(part)) }
            return (pair[0], codes)
        }
    }

    public init(student: StudentReference, title: String, day: CalendarDate? = nil, context: ProductionContext = .classe,
                competencies: [(referential: String, codes: [String])] = []) {
        self.student = student
        self.title = title
        self.day = day
        self.context = context
        self.competencies = competencies
    }
}

/// Why a production was not kept. Each front end words it; `description` is the French text.
public enum PortfolioError: Error, Equatable, CustomStringConvertible {
    /// The file itself was refused (type, size, unreadable picture).
    case file(MediaRefusal)
    /// The student's portfolio would exceed its room.
    case full(used: Int, adding: Int, limit: Int)
    case untitled
    case titleTooLong(limit: Int)
    case future(CalendarDate)
    case reflectionTooLong(limit: Int)
    /// A list of competencies not written `RÉFÉRENTIEL:C1,C2`.
    case competencyList(String)
    /// A level given for a competency the production does not show.
    case notShown(referential: String, competency: String)
    /// An evaluation from a production with no level chosen.
    case noLevel
    /// A share link with no production chosen.
    case nothingShared
    /// A share link's last day that is past, or more than a year away.
    case shareExpiry(CalendarDate)
    /// A share link unknown, withdrawn or past its last day: one answer for the three.
    case shareClosed
    /// A package whose signature no issuer known here made (or that was altered after it).
    case unknownIssuer(school: String)
    /// A package signed by a key this school has not trusted yet: its fingerprint, to compare
    /// with the school it says it comes from.
    case unconfirmedSigner(school: String, uai: String, thumbprint: String)
    /// A package of a student who is not in this school.
    case notHere(ine: String)
    /// A package export needs the school's signing key: it is not an issuer yet.
    case cannotSign

    public var description: String {
        switch self {
        case let .file(refusal): refusal.description.prefix(1).uppercased() + refusal.description.dropFirst() + "."
        case let .full(used, adding, limit):
            "Le portfolio est plein : il occupe \(MediaLimits.megabytes(used)) sur \(MediaLimits.megabytes(limit)), "
                + "et ce fichier en demande \(MediaLimits.megabytes(adding)). Retirez une production ou envoyez un fichier plus léger."
        case .untitled: "Donnez un titre à la production (par exemple « Vitrine de Noël »)."
        case let .titleTooLong(limit): "Le titre dépasse \(limit) caractères : raccourcissez-le."
        case let .future(day): "La date \(day.french) est dans le futur : indiquez le jour où la production a été faite."
        case let .reflectionTooLong(limit): "Le commentaire dépasse \(limit) caractères : raccourcissez-le."
        case let .notShown(referential, competency):
            "La production ne montre pas \(referential) \(competency) : ajoutez cette compétence à la production, ou évaluez-la dans la grille."
        case .noLevel: "Choisissez au moins un niveau avant d’enregistrer."
        case .nothingShared: "Coche au moins une production à partager."
        case let .shareExpiry(day): "Le lien ne peut pas finir le \(day.french) : choisis une date entre demain et dans un an."
        case .shareClosed: "Ce lien de partage n’ouvre plus rien : il a expiré ou son auteur l’a retiré."
        case let .unknownIssuer(school):
            "La signature du portfolio ne correspond pas à son contenu (il se dit de « \(school) ») : il a été modifié après "
                + "son export, ou il ne vient pas d’Acquis. Il n’est pas importé : demandez un nouvel export à l’établissement."
        case let .unconfirmedSigner(school, uai, thumbprint):
            "Le portfolio est signé par « \(school) » (\(uai)), dont votre établissement n’a pas encore confirmé la clé. "
                + "Empreinte de cette clé : \(thumbprint). Comparez-la avec celle que cet établissement lit sur sa page "
                + "« Émetteur des badges » (par téléphone ou par la messagerie académique), puis confirmez-la : "
                + "ses prochains portfolios seront reçus sans cette étape."
        case let .notHere(ine): "Aucun élève de l’établissement n’a l’INE \(ine) : importez d’abord l’élève (SIECLE), puis son portfolio."
        case .cannotSign: "L’établissement n’a pas encore de clé de signature : créez son profil d’émetteur de badges, puis exportez le portfolio."
        case let .competencyList(part):
            "« \(part) » ne se lit pas comme une liste de compétences : écrivez le référentiel, deux-points, puis les codes "
                + "séparés par des virgules (par exemple CAP-EPC:B1.1,B1.2)."
        }
    }

    /// Whether the refusal is about size: HTTP 413 for the API.
    public var isTooLarge: Bool {
        switch self {
        case .full, .file(.tooLarge): true
        default: false
        }
    }
}

/// Students' productions: what they made, kept with the competencies it shows.
///
/// A student adds to their own portfolio; a teacher or direction adds for a student they
/// follow; families read. Every file goes through ``MediaInspector`` first: only what it
/// keeps (a picture re-encoded without metadata) is ever stored or served.
public struct Portfolio: Sendable {
    let app: App

    /// Room per student, thumbnails included.
    public static let studentLimit = 200 * 1_048_576
    public static let titleLimit = 120
    public static let reflectionLimit = 2_000

    /// How files are read and how large they may be.
    static let inspector = MediaInspector()

    /// Keeps a production and returns it as stored.
    public func add(_ draft: ProductionDraft, file: Data, by person: ActingPerson) async throws -> Production {
        let access = app.access(person), today = app.today
        try access.require(.student, .teacher, .admin)
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw PortfolioError.untitled }
        guard title.count <= Self.titleLimit else { throw PortfolioError.titleTooLong(limit: Self.titleLimit) }
        let day = draft.day ?? today
        guard day <= today else { throw PortfolioError.future(day) }
        // Decoding a picture takes a while: it is done outside the transaction, and only for a
        // person who may add to this student's portfolio (checked again when writing).
        try await app.read { tx in try access.requireStudent(try tx.schools.student(draft.student, year: nil).id, in: tx) }
        let received: ReceivedFile
        do {
            received = try Self.inspector.receive(file)
        } catch {
            throw PortfolioError.file(error)
        }
        return try await app.write { tx in
            let studentID = try tx.schools.student(draft.student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            var nodeIDs: [Int64] = []
            for (referential, codes) in draft.competencies where !codes.isEmpty {
                try access.requireOwnWriting(studentID: studentID, referential: referential, in: tx)
                let target = try tx.referentials.target(code: referential, version: nil, studentID: studentID)
                nodeIDs += try codes.map { try target.evaluableNode($0) }
            }
            let adding = received.content.count + (received.thumbnail?.count ?? 0)
            let used = try tx.productions.storedBytes(studentID: studentID)
            guard used + adding <= Self.studentLimit else {
                throw PortfolioError.full(used: used, adding: adding, limit: Self.studentLimit)
            }
            let id = try tx.productions.add(NewProduction(
                studentID: studentID, title: title, day: day, context: draft.context,
                kind: ProductionKind(rawValue: received.kind.rawValue) ?? .pdf, mediaType: received.mediaType,
                content: received.content, thumbnail: received.thumbnail, nodeIDs: nodeIDs,
                addedBy: person.signature ?? "console", addedAt: Date()))
            return try tx.productions.production(id)!
        }
    }

    /// A student's productions, the most recent first, for those who may see the student.
    public func productions(of student: StudentReference, by person: ActingPerson) async throws -> [Production] {
        let access = app.access(person)
        return try await app.read { tx in
            let studentID = try tx.schools.student(student, year: nil).id
            try access.requireStudent(studentID, in: tx)
            return try tx.productions.productions(studentID: studentID)
        }
    }

    /// One production; refused alike for another's student and for an id that does not exist.
    public func production(_ id: Int64, by person: ActingPerson) async throws -> Production {
        let access = app.access(person)
        return try await app.read { tx in try Self.production(id, access: access, in: tx) }
    }

    /// A production's file (or its thumbnail), for those who may see the student.
    public func file(_ id: Int64, thumbnail: Bool, by person: ActingPerson) async throws -> (mediaType: String, content: Data) {
        let access = app.access(person)
        return try await app.read { tx in
            _ = try Self.production(id, access: access, in: tx)
            guard let file = try tx.productions.file(id, thumbnail: thumbnail) else { throw AccessRefusal.student }
            return file
        }
    }

    /// The student writes what they think of their production; only the student may.
    public func reflect(on id: Int64, text: String, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.student)
        guard text.count <= Self.reflectionLimit else { throw PortfolioError.reflectionTooLong(limit: Self.reflectionLimit) }
        try await app.write { tx in
            _ = try Self.production(id, access: access, in: tx)
            try tx.productions.setReflection(id, text: text)
        }
    }

    /// A teacher records levels on a production's competencies in one step: each observation
    /// is made on the production's day, in its context, with the production as its evidence
    /// (cited wherever the observation is shown). Returns how many were recorded.
    @discardableResult
    public func evaluate(_ id: Int64, levels: [(referential: String, competency: String, level: String)], evaluator: String?,
                         comment: String?, by person: ActingPerson) async throws -> Int {
        let access = app.access(person), today = app.today
        try access.require(.teacher, .admin)
        guard !levels.isEmpty else { throw PortfolioError.noLevel }
        return try await app.write { tx in
            let production = try Self.production(id, access: access, in: tx)
            let student = try tx.schools.student(studentID: production.studentID, year: nil)
            var recorded: [Int64] = []
            for (referential, competency, level) in levels {
                guard production.competencies.contains(where: { $0.referentialCode == referential && $0.code == competency }) else {
                    throw PortfolioError.notShown(referential: referential, competency: competency)
                }
                let entry = EvaluationEntry(student: student.reference, referentialCode: referential, competencyCode: competency,
                                            code: level, observedOn: production.day, context: production.context.evaluationContext,
                                            evaluator: evaluator, comment: comment)
                recorded.append(try tx.evaluations.record(entry, studentID: production.studentID, recordedBy: person.signature,
                                                          at: Date(), today: today).id)
            }
            try tx.productions.cite(id, inEvaluations: recorded)
            return recorded.count
        }
    }

    // MARK: The package that follows the student

    /// Everything the student's portfolio package holds: the progress file of the school year,
    /// the badges as a signed CLR 2.0 (when `keys` can sign), and every production with its
    /// file. For the student, their family, their teachers and the school's team.
    /// A student who left downloads it still, for the period the school chose.
    public func contents(of student: StudentReference, keys: KeyDirectory?, by person: ActingPerson) async throws -> PortfolioContents {
        let studentID = try await self.student(student, by: person, leaverMay: true)
        let year = Period.named("annee", in: app.year) ?? .trimester(containing: app.today)
        // The student and their family export too: the batch checks each read against the person.
        var batch = ProgressFileBatch(app: app, access: app.access(person, year: year.schoolYear), period: year,
                                      context: ReportContext(today: app.today), leaverMay: true)
        let file = try await batch.progressFile(studentID: studentID)
        var record: String?
        if let keys { record = try await batch.learnerRecord(studentID: studentID, email: nil, keys: keys) }
        let productions = try await app.read { tx in
            try tx.productions.productions(studentID: studentID).map { production in
                let file = try tx.productions.file(production.id, thumbnail: false)
                return PortfolioContents.Production(
                    title: production.title, day: production.day, context: production.context.label,
                    competencies: production.competencies.map { "\($0.referentialCode) \($0.code) – \($0.title)" },
                    reflection: production.reflection, mediaType: file?.mediaType ?? production.mediaType,
                    bytes: Array(file?.content ?? Data()))
            }
        }
        return PortfolioContents(progressFile: file, learnerRecord: record, productions: productions, exportedAt: Date())
    }

    /// The school's signature of a package's manifest (its SHA-256), with the key the
    /// student's badges are signed with.
    public func signPackage(manifestSHA256 digest: String, of student: StudentReference, keys: KeyDirectory,
                            by person: ActingPerson) async throws -> String {
        let studentID = try await self.student(student, by: person, leaverMay: true)
        let (issuer, key) = try await app.read { tx -> (Issuer, IssuerKey) in
            guard let schoolID = try tx.schools.schoolID(studentID: studentID), let issuer = try tx.badges.issuer(schoolID: schoolID) else {
                throw PortfolioError.cannotSign
            }
            return (issuer, try tx.badges.activeKey(schoolID: schoolID, algorithm: .rs256))
        }
        let signer = try await BadgeSigner(issuer: issuer, signingKey: try keys.load(key))
        return try await signer.signPortfolioPackage(manifestSHA256: digest, issuedAt: Date())
    }

    /// The school's team receives a portfolio exported by the student's previous school, kept
    /// whole and apart, as « établissement précédent »; the student must be here (by INE).
    ///
    /// Its signature must be one this installation trusts: a school of the same database (an
    /// académie), or a school whose key the team trusted, having compared its fingerprint with
    /// that school — the first time by passing it as `confirming` (spaces ignored).
    ///
    /// - Throws: ``PortfolioError/unknownIssuer(school:)`` when no key signed the manifest (or
    ///   it was altered), ``PortfolioError/unconfirmedSigner(school:uai:thumbprint:)`` when a
    ///   key the school does not trust yet signed it.
    @discardableResult
    public func receive(_ package: OpenedPortfolioPackage, confirming fingerprint: String? = nil,
                        by person: ActingPerson) async throws -> PreviousPortfolio {
        let access = app.access(person)
        try access.require(.admin)
        let verifier = BadgeVerifier(trusted: try await app.publishing.trustedIssuers())
        let known = await verifier.portfolioPackageIssuer(token: package.signature, manifestSHA256: package.manifestSHA256)
        // Not of this database: read with the key its signature carries, trusted below or not.
        let signature = known != nil ? nil : await PackageSignature.read(token: package.signature, manifestSHA256: package.manifestSHA256)
        guard known != nil || signature != nil else { throw PortfolioError.unknownIssuer(school: package.schoolName) }
        let confirmed = fingerprint.map { $0.filter { $0.isHexDigit }.uppercased() }
        return try await app.write { tx in
            guard let studentID = try? tx.schools.student(.ine(package.studentINE), year: nil).id else {
                throw PortfolioError.notHere(ine: package.studentINE)
            }
            try access.requireStudent(studentID, in: tx)
            var verifiedBy = known?.name ?? ""
            if let signature {
                guard let schoolID = try tx.schools.schoolID(studentID: studentID) else { throw AccessRefusal.student }
                let signers = try tx.previousPortfolios.signers(schoolID: schoolID)
                if let signer = signers.first(where: { $0.thumbprint == signature.thumbprint && $0.issuerURL == signature.issuerURL }) {
                    verifiedBy = signer.name
                } else {
                    guard confirmed == signature.thumbprint else {
                        throw PortfolioError.unconfirmedSigner(school: package.schoolName, uai: package.schoolUAI,
                                                               thumbprint: PackageSignature.spaced(signature.thumbprint))
                    }
                    _ = try tx.previousPortfolios.trust(PackageSigner(id: 0, name: package.schoolName, uai: package.schoolUAI,
                                                                      issuerURL: signature.issuerURL, thumbprint: signature.thumbprint,
                                                                      addedBy: person.signature ?? "console", addedAt: Date()),
                                                        schoolID: schoolID)
                    verifiedBy = package.schoolName
                }
            }
            var received = PreviousPortfolio(id: 0, studentID: studentID, schoolName: package.schoolName, schoolUAI: package.schoolUAI,
                                             verifiedBy: verifiedBy, exportedAt: package.exportedAt,
                                             productionTitles: package.productions.map(\.title), importedAt: Date())
            received.id = try tx.previousPortfolios.add(received, package: package.package, importedBy: person.signature ?? "console")
            return received
        }
    }

    /// The other schools whose packages the person's school receives.
    public func signers(by person: ActingPerson) async throws -> [PackageSigner] {
        let access = app.access(person)
        try access.require(.admin)
        return try await app.read { tx in try tx.previousPortfolios.signers(schoolID: access.schoolID(uai: nil, in: tx)) }
    }

    /// Stops trusting another school's key: its next packages ask for confirmation again.
    public func withdrawTrust(_ id: Int64, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.admin)
        let withdrawn = try await app.write { tx in try tx.previousPortfolios.withdrawTrust(id, schoolID: access.schoolID(uai: nil, in: tx)) }
        guard withdrawn else { throw AccessRefusal.role }
    }

    /// Portfolios received from the student's previous schools.
    public func previous(of student: StudentReference, by person: ActingPerson) async throws -> [PreviousPortfolio] {
        let studentID = try await self.student(student, by: person)
        return try await app.read { tx in try tx.previousPortfolios.portfolios(studentID: studentID) }
    }

    /// A received package as it arrived, for those who follow the student.
    public func previousPackage(_ id: Int64, by person: ActingPerson) async throws -> [UInt8] {
        let access = app.access(person)
        return try await app.read { tx in
            guard let package = try tx.previousPortfolios.package(id) else { throw AccessRefusal.student }
            try access.requireStudent(package.studentID, in: tx)
            return package.bytes
        }
    }

    private func student(_ reference: StudentReference, by person: ActingPerson, leaverMay: Bool = false) async throws -> Int64 {
        let access = app.access(person)
        return try await app.read { tx in
            let id = try tx.schools.student(reference, year: nil).id
            try access.requireStudent(id, in: tx, leaverMay: leaverMay)
            return id
        }
    }

    // MARK: Sharing

    /// The student makes a public link to productions of their own, until `expiresOn` (at most
    /// a year), with their first name or without any name. Returns the link's secret, shown once.
    public func share(_ productionIDs: [Int64], until expiresOn: CalendarDate, showingFirstName: Bool,
                      by person: ActingPerson) async throws -> (share: ProductionShare, token: String) {
        let access = app.access(person), today = app.today
        try access.require(.student)
        guard !productionIDs.isEmpty else { throw PortfolioError.nothingShared }
        guard expiresOn > today, expiresOn <= today.adding(days: 366) else { throw PortfolioError.shareExpiry(expiresOn) }
        let token = StoredSecret.newToken()
        let share = try await app.write { tx in
            var studentIDs = Set<Int64>()
            for id in productionIDs { studentIDs.insert(try Self.production(id, access: access, in: tx).studentID) }
            // The address a badge's evidence points to: the production's own, whichever link shares it.
            try tx.shares.giveEvidenceKeys(Dictionary(Set(productionIDs).map { ($0, StoredSecret.newToken()) }) { first, _ in first })
            let id = try tx.shares.create(studentID: studentIDs.first!, productionIDs: productionIDs, expiresOn: expiresOn,
                                          showsFirstName: showingFirstName, linkHash: StoredSecret.hash(token), at: Date())
            return try tx.shares.share(id)!
        }
        return (share, token)
    }

    /// A student's share links, for the student.
    public func shares(by person: ActingPerson) async throws -> [ProductionShare] {
        let access = app.access(person)
        try access.require(.student)
        guard case let .account(account) = person, let studentID = account.studentID else { return [] }
        return try await app.read { tx in try tx.shares.shares(studentID: studentID) }
    }

    /// The student withdraws a link: it opens nothing more.
    public func revokeShare(_ id: Int64, by person: ActingPerson) async throws {
        let access = app.access(person)
        try access.require(.student)
        try await app.write { tx in
            guard let share = try tx.shares.share(id) else { throw AccessRefusal.student }
            try access.requireStudent(share.studentID, in: tx)
            try tx.shares.revoke(id, at: Date())
        }
    }

    /// What a share link shows: the productions chosen, with the first name if the student
    /// added it, and nothing else of the student.
    public func shared(token: String) async throws -> (firstName: String?, productions: [Production], expiresOn: CalendarDate) {
        let today = app.today
        return try await app.read { tx in
            let share = try Self.openShare(token, today: today, in: tx)
            let chosen = Set(share.productionIDs)
            let productions = try tx.productions.productions(studentID: share.studentID).filter { chosen.contains($0.id) }
            let firstName = share.showsFirstName ? try tx.schools.student(studentID: share.studentID, year: nil).student.firstName : nil
            return (firstName, productions, share.expiresOn)
        }
    }

    /// A file of a shared production, through its link only.
    public func sharedFile(token: String, production id: Int64, thumbnail: Bool) async throws -> (mediaType: String, content: Data) {
        let today = app.today
        return try await app.read { tx in
            let share = try Self.openShare(token, today: today, in: tx)
            guard share.productionIDs.contains(id), let file = try tx.productions.file(id, thumbnail: thumbnail) else {
                throw PortfolioError.shareClosed
            }
            return file
        }
    }

    /// The production a badge's evidence points to, while a link of the student's shares it:
    /// its description and nothing of the student.
    public func sharedEvidence(key: String) async throws -> Production {
        let today = app.today
        return try await app.read { tx in
            guard let production = try tx.productions.production(Self.openEvidence(key, today: today, in: tx)) else {
                throw PortfolioError.shareClosed
            }
            return production
        }
    }

    /// The file of a production a badge's evidence points to, while shared.
    public func sharedEvidenceFile(key: String, thumbnail: Bool) async throws -> (mediaType: String, content: Data) {
        let today = app.today
        return try await app.read { tx in
            guard let file = try tx.productions.file(Self.openEvidence(key, today: today, in: tx), thumbnail: thumbnail) else {
                throw PortfolioError.shareClosed
            }
            return file
        }
    }

    /// The production behind a badge evidence's address, while a link open `today` shares it.
    private static func openEvidence(_ key: String, today: CalendarDate, in tx: any StorageTransaction) throws -> Int64 {
        guard let id = try tx.shares.sharedProductionID(evidenceKey: key, openOn: today) else { throw PortfolioError.shareClosed }
        return id
    }

    private static func openShare(_ token: String, today: CalendarDate, in tx: any StorageTransaction) throws -> ProductionShare {
        guard let share = try tx.shares.share(linkHash: StoredSecret.hash(token)), share.revokedAt == nil,
              today <= share.expiresOn else { throw PortfolioError.shareClosed }
        return share
    }

    /// The scale of each referential a student's productions show, as the student's evidence
    /// reads it: the levels a teacher chooses from. One read for a whole portfolio.
    public func scales(of productions: [Production], studentID: Int64, by person: ActingPerson) async throws -> [String: Scale] {
        let access = app.access(person)
        let codes = Set(productions.flatMap { $0.competencies.map(\.referentialCode) })
        guard !codes.isEmpty else { return [:] }
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            var scales: [String: Scale] = [:]
            for code in codes { scales[code] = try tx.referentials.target(code: code, version: nil, studentID: studentID).scale }
            return scales
        }
    }

    /// The competencies a production may show: those of the referentials the student's class
    /// follows, in the version the student's evidence is read in.
    public func competencyChoices(studentID: Int64, by person: ActingPerson) async throws -> [CompetencyRef] {
        let access = app.access(person), year = app.year
        return try await app.read { tx in
            try access.requireStudent(studentID, in: tx)
            return try tx.schools.referentialsFollowed(studentID: studentID, year: year).sorted().flatMap { code in
                try tx.referentials.target(code: code, version: nil, studentID: studentID).referential.evaluableNodes.map {
                    CompetencyRef(referentialCode: code, code: $0.code, title: $0.title)
                }
            }
        }
    }

    private static func production(_ id: Int64, access: Access, in tx: any StorageTransaction) throws -> Production {
        guard let production = try tx.productions.production(id) else { throw AccessRefusal.student }
        try access.requireStudent(production.studentID, in: tx)
        return production
    }
}

extension ProductionContext {
    /// The context of an observation made from a production.
    var evaluationContext: EvaluationContext {
        switch self {
        case .classe: .classe
        case .atelier: .atelier
        case .pfmp: .pfmp(company: nil, tutor: nil)
        case .projet: .projet
        }
    }
}
