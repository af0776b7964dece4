import AcquisStorage
import AcquisBadges
import AcquisCore
import AcquisGrading
import Foundation
import GRDB

/// Issuer, badge classes and awards. Rules are checked again whenever masteries change
/// (``evaluateRules(studentID:referentialID:now:cache:in:)``); an earned badge is never
/// withdrawn silently: when evidence stops meeting the rule, the award is flagged for review.
public struct BadgeStore: Sendable {
    public init() {}

    // MARK: - Issuer and keys

    /// Makes a school an issuer, publishes its first key and installs the standard badge classes
    /// of every referential.
    @discardableResult
    public func createIssuer(_ issuer: Issuer, schoolID: Int64, firstKey: IssuerKey, in db: any SQLConnection) throws -> Int {
        guard try self.issuer(schoolID: schoolID, in: db) == nil else { throw BadgeStoreError.issuerExists(uai: issuer.uai) }
        try db.run(sql: """
            INSERT INTO issuer (schoolId, name, url, email, publicBaseURL, createdAt) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [schoolID, issuer.name, issuer.url, issuer.email, issuer.publicBaseURL, Date()])
        try addKey(firstKey, schoolID: schoolID, in: db)
        var count = 0
        for id in try db.values(Int64.self, sql: "SELECT id FROM referential") {
            count += try installStandardClasses(referentialID: id, schoolIDs: [schoolID], in: db)
        }
        return count
    }

    /// Changes the issuer's name, site, e-mail or public address. Badges already delivered
    /// keep pointing where they did: the caller warns that the former public address must stay
    /// reachable (or redirect) for them to verify.
    public func updateIssuer(_ issuer: Issuer, schoolID: Int64, in db: any SQLConnection) throws {
        guard try self.issuer(schoolID: schoolID, in: db) != nil else { throw BadgeStoreError.noIssuer(uai: issuer.uai) }
        if let problem = issuer.problems.first { throw BadgeStoreError.invalidIssuer(field: problem.field, problem.message) }
        try db.run(sql: "UPDATE issuer SET name = ?, url = ?, email = ?, publicBaseURL = ? WHERE schoolId = ?",
                       arguments: [issuer.name, issuer.url, issuer.email, issuer.publicBaseURL, schoolID])
    }

    /// How many badges the school delivered: those that point to the public address.
    public func awardCount(schoolID: Int64, in db: any SQLConnection) throws -> Int {
        try db.value(Int.self, sql: """
            SELECT COUNT(*) FROM badgeAward a JOIN badgeClass c ON c.id = a.badgeClassId WHERE c.schoolId = ?
            """, arguments: [schoolID]) ?? 0
    }

    public func issuer(schoolID: Int64, in db: any SQLConnection) throws -> Issuer? {
        try db.row(sql: """
            SELECT i.*, s.uai FROM issuer i JOIN school s ON s.id = i.schoolId WHERE i.schoolId = ?
            """, arguments: [schoolID]).map { row in
            Issuer(uai: row["uai"], name: row["name"], url: row["url"], email: row["email"], publicBaseURL: row["publicBaseURL"])
        }
    }

    /// The school as an issuer; says how to become one when it is not.
    public func requiredIssuer(schoolID: Int64, in db: any SQLConnection) throws -> Issuer {
        if let issuer = try issuer(schoolID: schoolID, in: db) { return issuer }
        let uai = try db.value(String.self, sql: "SELECT uai FROM school WHERE id = ?", arguments: [schoolID]) ?? "?"
        throw BadgeStoreError.noIssuer(uai: uai)
    }

    public func schoolIDsWithIssuer(in db: any SQLConnection) throws -> [Int64] {
        try db.values(Int64.self, sql: "SELECT schoolId FROM issuer ORDER BY schoolId")
    }

    /// Publishes a new key. The school's active key of the same algorithm is retired, not
    /// deleted: badges it signed stay verifiable.
    public func addKey(_ key: IssuerKey, schoolID: Int64, in db: any SQLConnection) throws {
        try db.run(sql: "UPDATE issuerKey SET retiredAt = ? WHERE schoolId = ? AND algorithm = ? AND retiredAt IS NULL",
                       arguments: [key.createdAt, schoolID, key.algorithm.rawValue])
        try db.run(sql: """
            INSERT INTO issuerKey (id, schoolId, algorithm, publicKeyPEM, createdAt) VALUES (?, ?, ?, ?, ?)
            """, arguments: [key.id, schoolID, key.algorithm.rawValue, key.publicKeyPEM, key.createdAt])
    }

    /// Every key of the school, the oldest first.
    public func keys(schoolID: Int64, in db: any SQLConnection) throws -> [IssuerKey] {
        try db.rows(sql: "SELECT * FROM issuerKey WHERE schoolId = ? ORDER BY createdAt, id",
                         arguments: [schoolID]).compactMap { row in
            IssuerKey.Algorithm(rawValue: row["algorithm"]).map {
                IssuerKey(id: row["id"], algorithm: $0, publicKeyPEM: row["publicKeyPEM"], createdAt: row["createdAt"],
                          retiredAt: row["retiredAt"])
            }
        }
    }

    public func activeKey(schoolID: Int64, algorithm: IssuerKey.Algorithm, in db: any SQLConnection) throws -> IssuerKey {
        guard let key = try keys(schoolID: schoolID, in: db).last(where: { $0.algorithm == algorithm && $0.isActive }) else {
            throw BadgeStoreError.noActiveKey(algorithm: algorithm.rawValue)
        }
        return key
    }

    // MARK: - Badge classes

    /// Installs the standard badge classes of a referential version (``BadgeCatalog``) for the
    /// given issuing schools, or for every issuer. Classes already installed are left alone.
    @discardableResult
    public func installStandardClasses(referentialID: Int64, schoolIDs: [Int64]? = nil, in db: any SQLConnection) throws -> Int {
        let schools = try schoolIDs ?? schoolIDsWithIssuer(in: db)
        guard !schools.isEmpty else { return 0 }
        let referential = try ReferentialStore().fetch(id: referentialID, in: db)
        guard let scale = referential.scale else { return 0 }
        let nodeIDs = try self.nodeIDs(referentialID: referentialID, db)
        var count = 0
        for schoolID in schools {
            for badgeClass in BadgeCatalog.standard(for: referential, scale: scale)
            where try !exists(code: badgeClass.code, schoolID: schoolID, db) {
                let id = try insert(badgeClass, schoolID: schoolID, referentialID: referentialID, db)
                try insertRequirements(badgeClass.rule.requirements(in: referential) ?? [], classID: id, nodeIDs: nodeIDs, db)
                count += 1
            }
        }
        return count
    }

    /// Adds or updates a school's badge class (from a badge definition file). Its rule can
    /// change only while nobody has it.
    @discardableResult
    public func save(_ badgeClass: BadgeClass, schoolID: Int64, in db: any SQLConnection) throws -> Int64 {
        var referentialID: Int64?
        var requirements: [BadgeRequirement] = []
        if let key = badgeClass.rule.referential {
            referentialID = try db.value(Int64.self, sql: "SELECT id FROM referential WHERE code = ? AND version = ?",
                                               arguments: [key.code, key.version])
            guard let referentialID else { throw BadgeStoreError.unknownReferential(key.description) }
            let referential = try ReferentialStore().fetch(id: referentialID, in: db)
            guard let found = badgeClass.rule.requirements(in: referential) else {
                throw BadgeStoreError.unknownNode(badgeClass.rule.nodeCode ?? "", referential: key.description)
            }
            requirements = found
            let scale = try ReferentialStore().calculator(referentialID: referentialID, in: db).policy.scale
            if case .minimumLevel(_, _, let level) = badgeClass.rule, !scale.levels.contains(where: { $0.code == level }) {
                throw BadgeStoreError.unknownLevel(level, scale: scale.levels.map(\.code))
            }
        }
        let nodeIDs = try referentialID.map { try self.nodeIDs(referentialID: $0, db) } ?? [:]
        guard let existing = try storedClass(code: badgeClass.code, schoolID: schoolID, in: db) else {
            let id = try insert(badgeClass, schoolID: schoolID, referentialID: referentialID, db)
            try insertRequirements(requirements, classID: id, nodeIDs: nodeIDs, db)
            return id
        }
        if existing.badgeClass.rule != badgeClass.rule,
           try db.value(Int.self, sql: "SELECT COUNT(*) FROM badgeAward WHERE badgeClassId = ?", arguments: [existing.id])! > 0 {
            throw BadgeStoreError.ruleChangeRefused(badgeClass.code)
        }
        try db.run(sql: """
            UPDATE badgeClass SET name = ?, description = ?, criteria = ?, rule = ?, referentialId = ?, color = ?,
                                  validityMonths = ? WHERE id = ?
            """, arguments: [badgeClass.name, badgeClass.description, badgeClass.criteria, badgeClass.rule.description,
                             referentialID, badgeClass.color, badgeClass.validityMonths, existing.id])
        try db.run(sql: "DELETE FROM badgeAlignment WHERE badgeClassId = ?", arguments: [existing.id])
        try insertAlignments(badgeClass.alignments, classID: existing.id, db)
        try db.run(sql: "DELETE FROM badgeRequirement WHERE badgeClassId = ?", arguments: [existing.id])
        try insertRequirements(requirements, classID: existing.id, nodeIDs: nodeIDs, db)
        return existing.id
    }

    /// Derives the requirements of rule classes stored before requirements existed.
    func deriveMissingRequirements(in db: any SQLConnection) throws {
        let rows = try db.rows(sql: """
            SELECT id, rule, referentialId FROM badgeClass WHERE referentialId IS NOT NULL
            AND id NOT IN (SELECT badgeClassId FROM badgeRequirement)
            """)
        for (referentialID, classes) in Dictionary(grouping: rows, by: { $0["referentialId"] as Int64 }) {
            let referential = try ReferentialStore().fetch(id: referentialID, in: db)
            let nodeIDs = try self.nodeIDs(referentialID: referentialID, db)
            for row in classes {
                let requirements = BadgeRule(row["rule"])?.requirements(in: referential) ?? []
                try insertRequirements(requirements, classID: row["id"], nodeIDs: nodeIDs, db)
            }
        }
    }

    private func nodeIDs(referentialID: Int64, _ db: any SQLConnection) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try db.rows(sql: "SELECT code, id FROM referentialNode WHERE referentialId = ?", arguments: [referentialID]) {
            ids[row[0]] = row[1]
        }
        return ids
    }

    private func insertRequirements(_ requirements: [BadgeRequirement], classID: Int64, nodeIDs: [String: Int64],
                                    _ db: any SQLConnection) throws {
        for requirement in requirements {
            try db.run(sql: "INSERT INTO badgeRequirement (badgeClassId, nodeId) VALUES (?, ?)", arguments: [classID, nodeIDs[requirement.code]])
        }
    }

    private func exists(code: String, schoolID: Int64, _ db: any SQLConnection) throws -> Bool {
        try db.value(Bool.self, sql: "SELECT 1 FROM badgeClass WHERE schoolId = ? AND code = ?", arguments: [schoolID, code]) ?? false
    }

    @discardableResult
    private func insert(_ badgeClass: BadgeClass, schoolID: Int64, referentialID: Int64?, _ db: any SQLConnection) throws -> Int64 {
        try db.run(sql: """
            INSERT INTO badgeClass (schoolId, code, name, description, criteria, rule, referentialId, color, validityMonths, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [schoolID, badgeClass.code, badgeClass.name, badgeClass.description, badgeClass.criteria,
                             badgeClass.rule.description, referentialID, badgeClass.color, badgeClass.validityMonths, Date()])
        let id = (try db.insertedID())
        try insertAlignments(badgeClass.alignments, classID: id, db)
        return id
    }

    private func insertAlignments(_ alignments: [BadgeAlignment], classID: Int64, _ db: any SQLConnection) throws {
        for (position, alignment) in alignments.enumerated() {
            try db.run(sql: """
                INSERT INTO badgeAlignment (badgeClassId, position, targetName, targetUrl, targetFramework, targetCode,
                                            targetDescription, referentialCode, referentialVersion, nodeCode)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [classID, position, alignment.targetName, alignment.targetURL, alignment.targetFramework,
                                 alignment.targetCode, alignment.targetDescription, alignment.referential?.code,
                                 alignment.referential?.version, alignment.nodeCode])
        }
    }

    public func classes(schoolID: Int64, in db: any SQLConnection) throws -> [StoredBadgeClass] {
        try fetchClasses(db, where: "schoolId = ?", [schoolID])
    }

    public func storedClass(code: String, schoolID: Int64, in db: any SQLConnection) throws -> StoredBadgeClass? {
        try fetchClasses(db, where: "schoolId = ? AND code = ?", [schoolID, code]).first
    }

    private func fetchClasses(_ db: any SQLConnection, where filter: String, _ arguments: SQLArguments) throws -> [StoredBadgeClass] {
        let rows = try db.rows(sql: "SELECT * FROM badgeClass WHERE \(filter) ORDER BY id", arguments: arguments)
        guard !rows.isEmpty else { return [] }
        var alignments: [Int64: [BadgeAlignment]] = [:]
        for row in try db.rows(sql: """
            SELECT a.* FROM badgeAlignment a JOIN badgeClass c ON c.id = a.badgeClassId WHERE c.\(filter) ORDER BY a.position
            """, arguments: arguments) {
            let key: ReferentialKey? = (row["referentialCode"] as String?).map {
                ReferentialKey(code: $0, version: row["referentialVersion"] ?? "")
            }
            alignments[row["badgeClassId"], default: []].append(BadgeAlignment(
                targetName: row["targetName"], targetURL: row["targetUrl"], targetFramework: row["targetFramework"],
                targetCode: row["targetCode"], targetDescription: row["targetDescription"], referential: key,
                nodeCode: row["nodeCode"]))
        }
        return rows.map { row in
            let id: Int64 = row["id"]
            return StoredBadgeClass(
                id: id, schoolID: row["schoolId"],
                badgeClass: BadgeClass(code: row["code"], name: row["name"], description: row["description"],
                                       criteria: row["criteria"], rule: BadgeRule(row["rule"]) ?? .manual,
                                       alignments: alignments[id] ?? [], color: row["color"],
                                       validityMonths: row["validityMonths"]),
                referentialID: row["referentialId"])
        }
    }

    /// The levels of the scale a badge class is evaluated with, for Open Badges 3.0 results.
    public func levels(of badge: StoredBadgeClass, in db: any SQLConnection) throws -> [Scale.Level] {
        guard let referentialID = badge.referentialID else { return [] }
        return try ReferentialStore().calculator(referentialID: referentialID, in: db).policy.scale.levels
    }

    // MARK: - Rules

    /// What checking rules for many students reads only once: each school's rule classes per
    /// referential, and each referential's scale.
    struct RuleCache {
        var classes: [[Int64]: [RuleClass]] = [:]
        var scales: [Int64: Scale] = [:]
    }

    /// What deciding a rule needs of its badge class: no texts, no alignments.
    struct RuleClass {
        var id: Int64
        var rule: BadgeRule
    }

    private func ruleClasses(_ db: any SQLConnection, where filter: String, _ arguments: SQLArguments) throws -> [RuleClass] {
        try db.rows(sql: "SELECT id, rule FROM badgeClass WHERE rule <> 'manuel' AND \(filter) ORDER BY id",
                         arguments: arguments).compactMap { row in
            BadgeRule(row[1]).map { RuleClass(id: row[0], rule: $0) }
        }
    }

    /// Checks the rules that read a node, after one of its masteries changed: only the badge
    /// classes with that node among their requirements. Costs one query when there are none.
    @discardableResult
    public func evaluateRules(studentID: Int64, nodeID: Int64, scale: Scale, now: Date = Date(),
                              cause: MasteryChangeCause = .newEvidence, in db: any SQLConnection) throws -> RuleOutcome {
        let classes = try ruleClasses(db, where: """
            schoolId = (SELECT schoolId FROM student WHERE id = ?)
            AND id IN (SELECT badgeClassId FROM badgeRequirement WHERE nodeId = ?)
            """, [studentID, nodeID])
        return try evaluateRules(studentID: studentID, classes: classes, scale: scale, now: now, cause: cause, db)
    }

    /// Checks the rules after the masteries of these (student, node) pairs changed.
    @discardableResult
    public func evaluateRules(touched: Set<StudentNode>, now: Date = Date(), cause: MasteryChangeCause = .importedEvidence,
                              in db: any SQLConnection) throws -> RuleOutcome {
        guard try db.value(Bool.self, sql: "SELECT 1 FROM badgeClass WHERE rule <> 'manuel' LIMIT 1") ?? false else {
            return RuleOutcome()
        }
        var referentialOfNode: [Int64: Int64] = [:]
        for row in try db.rows(sql: """
            SELECT id, referentialId FROM referentialNode
            WHERE referentialId IN (SELECT referentialId FROM badgeClass WHERE rule <> 'manuel')
            """) {
            referentialOfNode[row[0]] = row[1]
        }
        let pairs = Set(touched.compactMap { pair in
            referentialOfNode[pair.nodeID].map { StudentReferential(studentID: pair.studentID, referentialID: $0) }
        })
        return try evaluateRules(pairs: pairs, now: now, cause: cause, in: db)
    }

    /// Checks every rule of a referential for each (student, referential) pair: after a bulk
    /// import or a recomputation.
    @discardableResult
    public func evaluateRules(pairs: Set<StudentReferential>, now: Date = Date(), cause: MasteryChangeCause = .recomputation,
                              in db: any SQLConnection) throws -> RuleOutcome {
        var cache = RuleCache()
        var outcome = RuleOutcome()
        for pair in pairs.sorted(by: { ($0.studentID, $0.referentialID) < ($1.studentID, $1.referentialID) }) {
            guard let schoolID = try db.value(Int64.self, sql: "SELECT schoolId FROM student WHERE id = ?",
                                                    arguments: [pair.studentID]) else { continue }
            let key = [schoolID, pair.referentialID]
            if cache.classes[key] == nil {
                cache.classes[key] = try ruleClasses(db, where: "schoolId = ? AND referentialId = ?", [schoolID, pair.referentialID])
            }
            guard let classes = cache.classes[key], !classes.isEmpty else { continue }
            if cache.scales[pair.referentialID] == nil {
                cache.scales[pair.referentialID] = try ReferentialStore().calculator(referentialID: pair.referentialID, in: db).policy.scale
            }
            outcome.add(try evaluateRules(studentID: pair.studentID, classes: classes, scale: cache.scales[pair.referentialID]!,
                                          now: now, cause: cause, db))
        }
        return outcome
    }

    /// Checks every rule for every student with a mastery: after installing badge classes.
    @discardableResult
    public func evaluateAllRules(now: Date = Date(), cause: MasteryChangeCause = .recomputation, in db: any SQLConnection) throws -> RuleOutcome {
        let pairs = try db.rows(sql: """
            SELECT DISTINCT m.studentId, n.referentialId FROM mastery m JOIN referentialNode n ON n.id = m.nodeId
            """).map { StudentReferential(studentID: $0[0], referentialID: $0[1]) }
        return try evaluateRules(pairs: Set(pairs), now: now, cause: cause, in: db)
    }

    /// Decides rule classes of one referential for one student: awards what is newly earned,
    /// flags earned badges whose evidence no longer meets the rule, clears the flag when it
    /// does again.
    private func evaluateRules(studentID: Int64, classes: [RuleClass], scale: Scale, now: Date, cause: MasteryChangeCause,
                               _ db: any SQLConnection) throws -> RuleOutcome {
        var outcome = RuleOutcome()
        guard !classes.isEmpty else { return outcome }
        // One list argument, not the ids in the statement: the same statement for every
        // competency, prepared and planned once by a server instead of once per set of badges.
        let ids = String(describing: classes.map(\.id))
        var requirements: [Int64: [BadgeRequirement]] = [:]
        var masteries: [String: NodeMastery] = [:]
        for row in try db.rows(sql: """
            SELECT r.badgeClassId, n.code, n.title, m.levelCode, m.rank, m.isAcquired, m.lastObservedOn
            FROM badgeRequirement r JOIN referentialNode n ON n.id = r.nodeId
            LEFT JOIN mastery m ON m.nodeId = r.nodeId AND m.studentId = ?
            WHERE r.badgeClassId IN (SELECT value FROM json_each(?)) ORDER BY r.badgeClassId, n.id
            """, arguments: [studentID, ids]) {
            let code: String = row[1]
            requirements[row[0], default: []].append(BadgeRequirement(code: code, title: row[2]))
            if let acquired: Bool = row[5] {
                masteries[code] = NodeMastery(levelCode: row[3], rank: row[4], isAcquired: acquired,
                                              lastObservedOn: (row[6] as String?).flatMap(CalendarDate.init(iso:)))
            }
        }
        let current = try db.rows(sql: """
            SELECT id, uuid, badgeClassId, reviewReason, revokedAt FROM badgeAward
            WHERE studentId = ? AND badgeClassId IN (SELECT value FROM json_each(?))
            """, arguments: [studentID, ids])
        for badge in classes {
            guard let decision = badge.rule.decide(requirements[badge.id] ?? [], scale: scale, masteries: masteries)
            else { continue }
            let awards = current.filter { $0["badgeClassId"] == badge.id }
            let states = awards.map { AwardState(id: $0["id"], isRevoked: ($0["revokedAt"] as Date?) != nil,
                                                 isUnderReview: ($0["reviewReason"] as String?) != nil) }
            let uuid = { (id: Int64) -> String in awards.first { $0["id"] == id }?["uuid"] ?? "" }
            // What happens is the domain's decision (AcquisBadges); the store writes it.
            for change in decision.changes(to: states, cause: cause.phrase) {
                switch change {
                case .award:
                    guard case let .earned(lastDay, evidence) = decision else { continue }
                    let day = try firstDayMet(badge, requirements: requirements[badge.id] ?? [], studentID: studentID, db) ?? lastDay
                    outcome.awarded.append(try insertAward(
                        classID: badge.id, studentID: studentID, on: day, at: now, by: StoredAward.ruleAwarder,
                        evidence: evidence.map(\.sentence), achievedLevel: decision.achievedLevel, db))
                case let .clearReview(id):
                    try db.run(sql: "UPDATE badgeAward SET reviewReason = NULL WHERE id = ?", arguments: [id])
                    outcome.cleared.append(uuid(id))
                case let .flagForReview(id, reason):
                    try db.run(sql: "UPDATE badgeAward SET reviewReason = ? WHERE id = ?", arguments: [reason, id])
                    outcome.flagged.append(uuid(id))
                }
            }
        }
        return outcome
    }

    /// The day the student's evidence first met a badge's rule, replayed under the method of
    /// the badge's referential.
    private func firstDayMet(_ badge: RuleClass, requirements: [BadgeRequirement], studentID: Int64,
                             _ db: any SQLConnection) throws -> CalendarDate? {
        guard let referentialID = try db.value(Int64.self, sql: "SELECT referentialId FROM badgeClass WHERE id = ?",
                                                     arguments: [badge.id]) else { return nil }
        let calculator = try ReferentialStore().calculator(referentialID: referentialID, in: db)
        var observations: [String: [Observation]] = [:]
        // Evidence observed under earlier versions counts, as it does for the level.
        for row in try db.rows(sql: """
            \(Lineage.cte(seed: "SELECT nodeId FROM badgeRequirement WHERE badgeClassId = ?"))
            SELECT n.code, \(EvaluationStore.observationColumns(of: "e")) FROM lineage
            JOIN referentialNode n ON n.id = lineage.nodeId
            JOIN evaluation e ON e.nodeId = lineage.sourceId AND e.studentId = ? AND e.withdrawnAt IS NULL
            ORDER BY e.observedOn, e.id
            """, arguments: [badge.id, studentID]) {
            observations[row[0], default: []].append(EvaluationStore.observation(from: row, at: 1))
        }
        return badge.rule.firstDayMet(requirements, observations: observations, calculator: calculator)
    }

    // MARK: - Awards

    /// A teacher awards a badge by hand (transversal skills, or a rule badge on their judgement).
    public func award(code: String, schoolID: Int64, studentID: Int64, by teacher: String, evidence: [String],
                      on day: CalendarDate, now: Date = Date(), in db: any SQLConnection) throws -> StoredAward {
        guard let badge = try storedClass(code: code, schoolID: schoolID, in: db) else { throw BadgeStoreError.unknownBadge(code) }
        guard try db.value(Int64.self, sql: "SELECT schoolId FROM student WHERE id = ?", arguments: [studentID]) == schoolID else {
            throw BadgeStoreError.studentOfAnotherSchool
        }
        let active = try db.value(Int.self, sql: """
            SELECT COUNT(*) FROM badgeAward WHERE badgeClassId = ? AND studentId = ? AND revokedAt IS NULL
            """, arguments: [badge.id, studentID])!
        guard active == 0 else { throw BadgeStoreError.alreadyAwarded(badge: code) }
        let uuid = try insertAward(classID: badge.id, studentID: studentID, on: day, at: now, by: teacher, evidence: evidence,
                                   achievedLevel: nil, db)
        return try award(uuid: uuid, in: db)!
    }

    private func insertAward(classID: Int64, studentID: Int64, on day: CalendarDate, at now: Date, by awarder: String,
                             evidence: [String], achievedLevel: String?, _ db: any SQLConnection) throws -> String {
        let uuid = UUID().uuidString.lowercased()
        try db.run(sql: """
            INSERT INTO badgeAward (uuid, badgeClassId, studentId, awardedOn, awardedAt, awardedBy, evidence, achievedLevel)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [uuid, classID, studentID, day.iso, now, awarder, evidence.joined(separator: "\n"), achievedLevel])
        return uuid
    }

    /// Revokes an award, with a reason that the revocation lists publish.
    public func revoke(uuid: String, by teacher: String, reason: String, now: Date = Date(), in db: any SQLConnection) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw BadgeStoreError.reasonRequired }
        guard let award = try award(uuid: uuid, in: db) else { throw BadgeStoreError.unknownAward(uuid) }
        guard !award.isRevoked else { throw BadgeStoreError.alreadyRevoked(uuid) }
        try db.run(sql: """
            UPDATE badgeAward SET revokedAt = ?, revokedBy = ?, revocationReason = ?, reviewReason = NULL WHERE id = ?
            """, arguments: [now, teacher, reason, award.id])
    }

    /// A teacher keeps a badge flagged for review: the evidence changed, the badge stays.
    public func keep(uuid: String, in db: any SQLConnection) throws {
        guard let award = try award(uuid: uuid, in: db) else { throw BadgeStoreError.unknownAward(uuid) }
        try db.run(sql: "UPDATE badgeAward SET reviewReason = NULL WHERE id = ?", arguments: [award.id])
    }

    public func award(uuid: String, in db: any SQLConnection) throws -> StoredAward? {
        try fetchAwards(db, where: "a.uuid = ?", [uuid.lowercased().dropping(prefix: "urn:uuid:")]).first
    }

    /// A student's badges, revoked ones included, the most recent first.
    public func awards(studentID: Int64, in db: any SQLConnection) throws -> [StoredAward] {
        try fetchAwards(db, where: "a.studentId = ?", [studentID])
    }

    /// A school's awards waiting for a teacher's decision.
    public func awardsToReview(schoolID: Int64, in db: any SQLConnection) throws -> [StoredAward] {
        try fetchAwards(db, where: "c.schoolId = ? AND a.reviewReason IS NOT NULL AND a.revokedAt IS NULL", [schoolID])
    }

    /// The school's revoked awards and their reasons, for the revocation lists.
    public func revocations(schoolID: Int64, in db: any SQLConnection) throws -> [(uuid: String, reason: String)] {
        try db.rows(sql: """
            SELECT a.uuid, a.revocationReason FROM badgeAward a JOIN badgeClass c ON c.id = a.badgeClassId
            WHERE c.schoolId = ? AND a.revokedAt IS NOT NULL ORDER BY a.revokedAt, a.id
            """, arguments: [schoolID]).map { ($0[0], $0[1]) }
    }

    private func fetchAwards(_ db: any SQLConnection, where filter: String, _ arguments: SQLArguments) throws -> [StoredAward] {
        let rows = try db.rows(sql: """
            SELECT a.* FROM badgeAward a JOIN badgeClass c ON c.id = a.badgeClassId WHERE \(filter)
            ORDER BY a.awardedOn DESC, a.id DESC
            """, arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let classIDs = Set(rows.map { $0["badgeClassId"] as Int64 })
        var classes: [Int64: StoredBadgeClass] = [:]
        for badge in try fetchClasses(db, where: "id IN (\(classIDs.map(String.init).joined(separator: ",")))", []) {
            classes[badge.id] = badge
        }
        return rows.map { row in
            let revocation = (row["revokedAt"] as Date?).map {
                StoredAward.Revocation(at: $0, by: row["revokedBy"] ?? "", reason: row["revocationReason"] ?? "")
            }
            let evidence: String = row["evidence"]
            return StoredAward(
                id: row["id"], uuid: row["uuid"], badge: classes[row["badgeClassId"]]!, studentID: row["studentId"],
                awardedOn: CalendarDate(iso: row["awardedOn"]) ?? CalendarDate(dayNumber: 0), awardedAt: row["awardedAt"],
                awardedBy: row["awardedBy"], evidence: evidence.isEmpty ? [] : evidence.components(separatedBy: "\n"),
                achievedLevel: row["achievedLevel"], reviewReason: row["reviewReason"], revocation: revocation)
        }
    }
}

extension String {
    func dropping(prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
