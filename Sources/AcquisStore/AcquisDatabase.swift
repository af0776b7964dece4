import AcquisStorage
import AcquisCore
import Foundation
import GRDB

/// The Acquis database: one SQLite file, migrated to the current schema when opened.
public final class AcquisDatabase: Sendable {
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`, in WAL mode.
    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        writer = try DatabasePool(path: path, configuration: Self.configuration)
        try Self.migrator.migrate(writer)
    }

    /// A private database that lives in memory, for tests and dry runs.
    public init() throws {
        writer = try DatabaseQueue(configuration: Self.configuration)
        try Self.migrator.migrate(writer)
    }

    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // In WAL mode NORMAL keeps the database consistent after a crash and only risks the
        // last commits on power loss; FULL would fsync on every recorded evaluation.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            db.add(collation: Self.french)
        }
        return configuration
    }

    /// Names in lists, grids, reports and exports sort as French readers expect
    /// (`ORDER BY lastName COLLATE FRENCH`).
    static let french = DatabaseCollation(FrenchCollation.name) { FrenchCollation.compare($0, $1) }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 referentials") { db in
            try db.create(table: "referential") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("code", .text).notNull()
                t.column("version", .text).notNull()
                t.column("title", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("source", .text)
                t.column("validFrom", .text)
                t.column("validUntil", .text)
                t.column("scaleCode", .text).notNull()
                t.column("scaleTitle", .text).notNull()
                t.column("format", .text).notNull()
                t.column("importedAt", .datetime).notNull()
                t.uniqueKey(["code", "version"])
            }
            try db.create(table: "referentialNode") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("referential").notNull()
                t.belongsTo("parent", inTable: "referentialNode")
                t.column("position", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("code", .text).notNull()
                t.column("title", .text).notNull()
                t.column("titleReliability", .text).notNull()
                t.column("term", .text)
                t.column("isEvaluable", .boolean).notNull()
                t.uniqueKey(["referentialId", "code"])
            }
            try db.create(table: "externalCode") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("referential").notNull()
                t.belongsTo("node", inTable: "referentialNode")
                t.column("system", .text).notNull()
                t.column("value", .text).notNull()
                t.column("reliability", .text).notNull()
            }
            try db.create(index: "externalCode_on_system_value", on: "externalCode", columns: ["system", "value"])
            // A referential version keeps the scale it was imported with, so that recorded
            // evaluations keep their meaning even if a built-in scale is reworded later.
            try db.create(table: "scaleLevel") { t in
                t.belongsTo("referential").notNull()
                t.column("rank", .integer).notNull()
                t.column("code", .text).notNull()
                t.column("teacherLabel", .text).notNull()
                t.column("studentLabel", .text).notNull()
                t.column("color", .text).notNull()
                t.column("marker", .text).notNull()
                t.column("isAcquired", .boolean).notNull()
                t.column("officialValue", .text)
                t.primaryKey(["referentialId", "rank"])
            }
            try db.create(table: "scaleSpecialCode") { t in
                t.belongsTo("referential").notNull()
                t.column("position", .integer).notNull()
                t.column("code", .text).notNull()
                t.column("label", .text).notNull()
                t.column("meaning", .text).notNull()
                t.column("officialValue", .text)
                t.primaryKey(["referentialId", "position"])
            }
        }
        migrator.registerMigration("v2 school and evaluations", migrate: Self.createSchoolAndEvaluations)
        migrator.registerMigration("v3 badges", migrate: Self.createBadges)
        migrator.registerMigration("v4 badge requirements", migrate: Self.createBadgeRequirements)
        migrator.registerMigration("v5 syntheses", migrate: Self.createSyntheses)
        migrator.registerMigration("v6 accounts and drafts", migrate: Self.createAccounts)
        migrator.registerMigration("v7 vigilance", migrate: Self.createVigilance)
        migrator.registerMigration("v8 web sessions", migrate: Self.createWebSessions)
        migrator.registerMigration("v9 holiday zone") { db in
            // A, B or C: the school's zone for winter and spring holidays; NULL until direction sets it.
            try db.alter(table: "school") { t in t.add(column: "holidayZone", .text) }
        }
        migrator.registerMigration("v10 referential versions", migrate: Self.createVersionContinuity)
        migrator.registerMigration("v11 draft settings") { db in
            // What the inspector said of a file that does not say it itself (RNCP fiches, a
            // SACoche tree's code and title): kept with the draft until it is published.
            try db.alter(table: "referentialDraft") { t in
                t.add(column: "format", .text)
                t.add(column: "settings", .jsonText)
            }
        }
        migrator.registerMigration("v12 setup link") { db in
            // The one-time link that opens a blank database to its first school: its SHA-256 only.
            try db.create(table: "setupToken") { t in
                t.primaryKey("hash", .text)
                t.column("expiresAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v13 pending uploads") { db in
            // Files sent to be imported, until their preview is confirmed (a day at most).
            try db.create(table: "pendingUpload") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.belongsTo("school", onDelete: .cascade).notNull()
                t.column("fileName", .text).notNull()
                t.column("content", .blob).notNull()
                t.column("uploadedBy", .text).notNull()
                t.column("uploadedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v14 account activation") { db in
            // An account may start with a one-time code (its hash) instead of a password, and
            // be disabled without losing its history.
            try db.alter(table: "account") { t in
                t.add(column: "activationHash", .text)
                t.add(column: "activationExpiresAt", .datetime)
                t.add(column: "activatedAt", .datetime)
                t.add(column: "disabledAt", .datetime)
            }
        }
        migrator.registerMigration("v15 guardians") { db in
            // Legal guardians from SIECLE, by their PERSONNE_ID, and the children they are
            // responsible for; a family account may belong to a guardian rather than one child.
            try db.create(table: "guardian") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("school", onDelete: .cascade).notNull()
                t.column("personId", .text).notNull()
                t.column("civility", .text)
                t.column("lastName", .text).notNull()
                t.column("firstName", .text).notNull()
                t.uniqueKey(["schoolId", "personId"])
            }
            try db.create(table: "guardianship", options: .withoutRowID) { t in
                t.belongsTo("guardian", onDelete: .cascade).notNull()
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.primaryKey(["guardianId", "studentId"])
            }
            try db.alter(table: "account") { t in t.add(column: "guardianId", .integer).references("guardian", onDelete: .cascade) }
        }
        migrator.registerMigration("v16 period bilans") { db in
            // The student's own part of a period's bilan, and each family's « Vu », kept.
            try db.create(table: "periodReflection", options: .withoutRowID) { t in
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.column("schoolYear", .integer).notNull()
                t.column("period", .text).notNull()
                t.column("proud", .text).notNull()
                t.column("toWork", .text).notNull()
                t.column("writtenAt", .datetime).notNull()
                t.primaryKey(["studentId", "schoolYear", "period"])
            }
            try db.create(table: "periodAcknowledgement", options: .withoutRowID) { t in
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.column("schoolYear", .integer).notNull()
                t.column("period", .text).notNull()
                t.belongsTo("account", onDelete: .cascade).notNull()
                t.column("acknowledgedAt", .datetime).notNull()
                t.primaryKey(["studentId", "schoolYear", "period", "accountId"])
            }
        }
        migrator.registerMigration("v17 teaching services and period closing") { db in
            // Teachers read from STS-web keep its id, so that next year's export updates them.
            try db.alter(table: "teacher") { t in t.add(column: "stsId", .text) }
            try db.create(index: "teacher_on_school_stsId", on: "teacher", columns: ["schoolId", "stsId"], unique: true)
            // What a teacher teaches in a class or group: the subjects of STS-web's services.
            try db.create(table: "teachingSubject", options: .withoutRowID) { t in
                t.belongsTo("teacher", onDelete: .cascade).notNull()
                t.belongsTo("division", onDelete: .cascade).notNull()
                t.column("subject", .text).notNull()
                t.primaryKey(["teacherId", "divisionId", "subject"])
            }
            // Main teachers (« professeurs principaux »): who closes a class's period.
            try db.create(table: "mainTeacher", options: .withoutRowID) { t in
                t.belongsTo("division", onDelete: .cascade).notNull()
                t.belongsTo("teacher", onDelete: .cascade).notNull()
                t.primaryKey(["divisionId", "teacherId"])
            }
            // Each closing and reopening of a class's period, kept: the last one says where it stands.
            try db.create(table: "periodClosing") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("division", onDelete: .cascade).notNull()
                t.column("period", .text).notNull()
                t.column("closed", .boolean).notNull()
                t.column("actor", .text).notNull()
                t.column("reason", .text)
                t.column("at", .datetime).notNull()
            }
            try db.create(index: "periodClosing_on_division_period", on: "periodClosing", columns: ["divisionId", "period"])
        }
        migrator.registerMigration("v18 period scheme") { db in
            // Trimesters (T1–T3) or semesters (S1, S2), as each school chooses; NULL reads as trimesters.
            try db.alter(table: "school") { t in t.add(column: "periodScheme", .text) }
        }
        migrator.registerMigration("v19 no redundant indexes") { db in
            // Each starts like another index or a primary key (evaluation_on_studentId like
            // evaluation_on_student_node, mastery_on_studentId like mastery's key, and the
            // foreign-key indexes of tables keyed or unique on that column first): SQLite reads
            // through those just as fast, and every insert paid for the copies.
            for index in [
                "evaluation_on_studentId", "mastery_on_studentId",
                "referentialNode_on_referentialId", "scaleLevel_on_referentialId", "scaleSpecialCode_on_referentialId",
                "division_on_schoolId", "student_on_schoolId", "enrollment_on_studentId", "teacher_on_schoolId",
                "teaching_on_teacherId", "period_on_schoolId", "badgeClass_on_schoolId", "badgeAlignment_on_badgeClassId",
                "badgeAward_on_studentId", "badgeRequirement_on_badgeClassId", "synthesis_on_studentId",
                "vigilanceThreshold_on_schoolId", "tutoring_on_studentId", "needGroupSet_on_divisionId",
                "needGroupMember_on_setId", "competencyLink_on_nodeId", "divisionReferential_on_divisionId",
                "guardian_on_schoolId", "guardianship_on_guardianId", "periodReflection_on_studentId",
                "periodAcknowledgement_on_studentId", "teachingSubject_on_teacherId", "mainTeacher_on_divisionId",
                "periodClosing_on_divisionId",
            ] {
                try db.execute(sql: "DROP INDEX IF EXISTS \(index)")
            }
        }
        migrator.registerMigration("v20 sign-in through the ENT and EduConnect") { db in
            try db.create(table: "signInMethods") { t in
                t.primaryKey("schoolId", .integer).references("school", onDelete: .cascade)
                t.column("passwordsOpen", .boolean).notNull().defaults(to: true)
                t.column("casURL", .text)
                t.column("casAttribute", .text)
                t.column("entOpen", .boolean).notNull().defaults(to: false)
                t.column("samlMetadata", .blob)
                t.column("educonnectOpen", .boolean).notNull().defaults(to: false)
            }
            // An outside identity (ENT login, EduConnect id) and the accounts it signs in to.
            try db.create(table: "externalIdentity", options: .withoutRowID) { t in
                t.column("schoolId", .integer).notNull().references("school", onDelete: .cascade)
                t.column("provider", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("accountId", .integer).notNull().references("account", onDelete: .cascade)
                t.column("linkedAt", .datetime).notNull()
                t.primaryKey(["schoolId", "provider", "subject", "accountId"])
                t.uniqueKey(["accountId", "provider"])
            }
            // SAML requests waiting for their response, and assertions already used.
            try db.create(table: "samlRequest", options: .withoutRowID) { t in
                t.primaryKey("id", .text)
                t.column("schoolId", .integer).notNull().references("school", onDelete: .cascade)
                t.column("expiresAt", .datetime).notNull()
            }
            try db.create(table: "samlAssertion", options: .withoutRowID) { t in
                t.primaryKey("id", .text)
                t.column("expiresAt", .datetime).notNull()
            }
            // A student's request to link their EduConnect identity to the account their name and
            // birth date match, waiting for direction.
            try db.create(table: "linkRequest") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("schoolId", .integer).notNull().references("school", onDelete: .cascade)
                t.column("provider", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("accountId", .integer).notNull().references("account", onDelete: .cascade)
                t.column("requestedAt", .datetime).notNull()
                t.uniqueKey(["provider", "subject", "accountId"])
            }
            try db.alter(table: "webSession") { t in t.add(column: "ssoTicket", .text) }
            try db.create(index: "webSession_on_ssoTicket", on: "webSession", columns: ["ssoTicket"])
        }
        migrator.registerMigration("v21 shared sign-in throttle") { db in
            // Failed sign-ins by hashed login (and address), shared by every process that serves
            // the database, and the addresses each login already signed in from (hashed too).
            try db.create(table: "signInFailure", options: .withoutRowID) { t in
                t.primaryKey("key", .text)
                t.column("count", .integer).notNull()
                t.column("lastAt", .datetime).notNull()
            }
            try db.create(table: "signInKnownAddress", options: .withoutRowID) { t in
                t.primaryKey("key", .text)
            }
        }
        migrator.registerMigration("v22 productions") { db in
            // What students made, with the file as kept (a picture re-encoded without metadata)
            // and its thumbnail: in the database, so that backups and copies carry them.
            try db.create(table: "production") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.column("title", .text).notNull()
                t.column("day", .text).notNull()
                t.column("context", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("mediaType", .text).notNull()
                t.column("byteCount", .integer).notNull()
                t.column("content", .blob).notNull()
                t.column("thumbnail", .blob)
                t.column("reflection", .text)
                t.column("addedBy", .text).notNull()
                t.column("addedAt", .datetime).notNull()
            }
            try db.create(table: "productionCompetency", options: .withoutRowID) { t in
                t.belongsTo("production", onDelete: .cascade, indexed: false).notNull()  // the primary key starts with it
                t.belongsTo("node", inTable: "referentialNode").notNull()
                t.primaryKey(["productionId", "nodeId"])
            }
        }
        migrator.registerMigration("v23 productions as evidence") { db in
            // The production an observation was made from: its evidence, cited wherever the
            // observation is shown. A production removed leaves the observation standing.
            try db.alter(table: "evaluation") { t in
                t.add(column: "productionId", .integer).references("production", onDelete: .setNull)
            }
        }
        migrator.registerMigration("v24 PFMP") { db in
            // A student's weeks in a company, and the one link its tutor uses (kept hashed).
            try db.create(table: "pfmpPeriod") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.column("company", .text).notNull()
                t.column("tutorName", .text).notNull()
                t.column("tutorEmail", .text).notNull()
                t.column("startsOn", .text).notNull()
                t.column("endsOn", .text).notNull()
                t.belongsTo("referential").notNull()
                t.column("linkHash", .text).notNull().unique()
                t.column("revokedAt", .datetime)
                t.column("appreciation", .text)
                t.column("appreciationAt", .datetime)
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "pfmpCompetency", options: .withoutRowID) { t in
                t.belongsTo("pfmpPeriod", onDelete: .cascade, indexed: false).notNull()  // the primary key starts with it
                t.belongsTo("node", inTable: "referentialNode").notNull()
                t.primaryKey(["pfmpPeriodId", "nodeId"])
            }
            // What the tutor observed, waiting for a teacher to confirm it or set it aside.
            try db.create(table: "pfmpObservation") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("pfmpPeriod", onDelete: .cascade).notNull()
                t.belongsTo("node", inTable: "referentialNode").notNull()
                t.column("code", .text).notNull()
                t.column("observedOn", .text).notNull()
                t.column("recordedAt", .datetime).notNull()
                t.column("status", .text).notNull()
                t.column("decidedBy", .text)
                t.column("decidedAt", .datetime)
            }
        }
        migrator.registerMigration("v25 production shares") { db in
            // Public links to productions a student chose to show; only each link's hash is kept.
            try db.create(table: "productionShare") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.column("linkHash", .text).notNull().unique()
                t.column("expiresOn", .text).notNull()
                t.column("showsFirstName", .boolean).notNull()
                t.column("revokedAt", .datetime)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "productionShareItem", options: .withoutRowID) { t in
                t.belongsTo("productionShare", onDelete: .cascade, indexed: false).notNull()  // the primary key starts with it
                t.belongsTo("production", onDelete: .cascade).notNull()
                t.primaryKey(["productionShareId", "productionId"])
            }
        }
        migrator.registerMigration("v26 previous portfolios") { db in
            // Portfolios received from a student's previous school, kept whole and apart.
            try db.create(table: "previousPortfolio") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.column("schoolName", .text).notNull()
                t.column("schoolUAI", .text).notNull()
                t.column("verifiedBy", .text).notNull()
                t.column("exportedAt", .text).notNull()
                t.column("productionTitles", .text).notNull()
                t.column("package", .blob).notNull()
                t.column("importedAt", .datetime).notNull()
                t.column("importedBy", .text).notNull()
            }
        }
        migrator.registerMigration("v27 shared productions as badge evidence") { db in
            // A production's public address while the student shares it: what a badge's
            // evidence points to. Given at the first share, never changed, unlike share links.
            try db.alter(table: "production") { t in t.add(column: "evidenceKey", .text) }
            try db.create(index: "production_on_evidenceKey", on: "production", columns: ["evidenceKey"], unique: true)
        }
        migrator.registerMigration("v28 leavers' download period") { db in
            // How many months a student who left may still download their portfolio (NULL: the default).
            try db.alter(table: "school") { t in t.add(column: "leaverMonths", .integer) }
        }
        migrator.registerMigration("v29 package signers") { db in
            // Keys of other schools whose portfolio packages a school receives, once its team
            // confirmed their fingerprint with that school.
            try db.create(table: "packageSigner") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("school", onDelete: .cascade, indexed: false).notNull()  // the unique key starts with it
                t.column("name", .text).notNull()
                t.column("uai", .text).notNull()
                t.column("issuerUrl", .text).notNull()
                t.column("thumbprint", .text).notNull()
                t.column("addedBy", .text).notNull()
                t.column("addedAt", .datetime).notNull()
                t.uniqueKey(["schoolId", "thumbprint"])
            }
        }
        migrator.registerMigration("v30 session's account") { db in
            // The account a session names, beside the front end's value that names it too: a
            // signed-in request reads its session and account in one statement.
            try db.alter(table: "webSession") { t in t.add(column: "accountId", .integer) }
        }
        return migrator
    }

    /// How versions of a referential continue each other, and which version each class or
    /// group works with.
    private static func createVersionContinuity(_ db: Database) throws {
        // A competency of a later version and an earlier one whose evidence counts towards it.
        try db.create(table: "competencyLink", options: .withoutRowID) { t in
            t.belongsTo("node", inTable: "referentialNode", onDelete: .cascade).notNull()
            t.belongsTo("sourceNode", inTable: "referentialNode", onDelete: .cascade).notNull()
            t.column("relation", .text).notNull()
            t.primaryKey(["nodeId", "sourceNodeId"])
        }
        try db.create(index: "competencyLink_on_source", on: "competencyLink", columns: ["sourceNodeId"])
        // The version a class or group works with, once the school chose it; otherwise the
        // version its evidence is in (`ReferentialStore.versionID(code:divisionID:in:)`).
        try db.create(table: "divisionReferential", options: .withoutRowID) { t in
            t.belongsTo("division", onDelete: .cascade).notNull()
            t.column("referentialCode", .text).notNull()
            t.belongsTo("referential", onDelete: .cascade).notNull()
            t.primaryKey(["divisionId", "referentialCode"])
        }
        try ReferentialStore().linkStoredVersionsByCode(in: db)
    }

    private static func createVigilance(_ db: Database) throws {
        // A school's own thresholds; a missing row keeps the default.
        try db.create(table: "vigilanceThreshold") { t in
            t.belongsTo("school", onDelete: .cascade).notNull()
            t.column("key", .text).notNull()
            t.column("value", .integer).notNull()
            t.primaryKey(["schoolId", "key"])
        }
        // What the team did about a student, kept as history: rows are never updated.
        try db.create(table: "followUp") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.column("action", .text).notNull()
            t.column("decidedOn", .text).notNull()
            t.column("note", .text)
            t.column("author", .text).notNull()
            t.column("recordedAt", .datetime).notNull()
        }
        // A student's teacher-tutor or peer sponsor for a school year.
        try db.create(table: "tutoring") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.column("schoolYear", .integer).notNull()
            t.column("kind", .text).notNull()
            t.belongsTo("teacher", onDelete: .cascade)
            t.belongsTo("sponsor", inTable: "student", onDelete: .cascade)
            t.column("since", .text).notNull()
            t.uniqueKey(["studentId", "schoolYear", "kind"])
        }
        // Need groups of a class on a set of competencies for one period; members keep the
        // suggested group beside the one the teacher chose.
        try db.create(table: "needGroupSet") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("division", onDelete: .cascade).notNull()
            t.belongsTo("referential", onDelete: .cascade).notNull()
            t.column("competencies", .text).notNull()
            t.column("periodCode", .text).notNull()
            t.column("periodTitle", .text).notNull()
            t.column("startsOn", .text).notNull()
            t.column("savedBy", .text).notNull()
            t.column("savedAt", .datetime).notNull()
            t.uniqueKey(["divisionId", "referentialId", "competencies", "periodCode"])
        }
        try db.create(table: "needGroupMember", options: .withoutRowID) { t in
            t.belongsTo("set", inTable: "needGroupSet", onDelete: .cascade).notNull()
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.column("groupName", .text)
            t.column("suggested", .text)
            t.column("reason", .text).notNull()
            t.primaryKey(["setId", "studentId"])
        }
        // Who looked at signals, follow-ups or need groups, and when: student ids, never names.
        try db.create(table: "sensitiveView") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("viewer", .text).notNull()
            t.column("subject", .text).notNull()
            t.belongsTo("student", onDelete: .cascade)
            t.column("division", .text)
            t.column("viewedAt", .datetime).notNull()
        }
        try db.create(index: "sensitiveView_on_student", on: "sensitiveView", columns: ["studentId"])
    }

    private static func createAccounts(_ db: Database) throws {
        // Who signs in to the web app. A teacher account is the `teacher` row of the same login;
        // a student or family account points at the student it may see.
        try db.create(table: "account") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("login", .text).notNull().unique(onConflict: .abort).collate(.nocase)
            t.column("passwordHash", .text).notNull()
            t.column("role", .text).notNull()
            t.column("displayName", .text).notNull()
            t.belongsTo("school", onDelete: .cascade)
            t.belongsTo("teacher", onDelete: .cascade)
            t.belongsTo("student", onDelete: .cascade)
            t.column("createdAt", .datetime).notNull()
        }
        // Referential files an inspector uploaded, kept as sent until published as a new version.
        try db.create(table: "referentialDraft") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("fileName", .text).notNull()
            t.column("content", .blob).notNull()
            t.column("uploadedBy", .text).notNull()
            t.column("uploadedAt", .datetime).notNull()
            t.belongsTo("publishedAs", inTable: "referential", onDelete: .setNull)
        }
    }

    private static func createSchoolAndEvaluations(_ db: Database) throws {
        try db.create(table: "school") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("uai", .text).notNull().unique()
            t.column("name", .text)
        }
        // Classes (divisions) and teaching groups, per school year (named by its first year).
        try db.create(table: "division") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("school", onDelete: .cascade).notNull()
            t.column("schoolYear", .integer).notNull()
            t.column("code", .text).notNull()
            t.column("kind", .text).notNull()
            t.uniqueKey(["schoolId", "schoolYear", "code"])
        }
        // One row per student across schools: the INE follows a student who moves.
        try db.create(table: "student") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("school").notNull()
            t.column("ine", .text).unique()
            t.column("localId", .text)
            t.column("lastName", .text).notNull()
            t.column("firstName", .text).notNull()
            t.column("birthDate", .text)
            t.column("leftOn", .text)
            t.uniqueKey(["schoolId", "localId"])
        }
        try db.create(table: "enrollment") { t in
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.belongsTo("division", onDelete: .cascade).notNull()
            t.primaryKey(["studentId", "divisionId"])
        }
        try db.create(table: "teacher") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("school").notNull()
            t.column("login", .text).notNull().unique()
            t.column("name", .text).notNull()
        }
        try db.create(table: "teaching") { t in
            t.belongsTo("teacher", onDelete: .cascade).notNull()
            t.belongsTo("division", onDelete: .cascade).notNull()
            t.primaryKey(["teacherId", "divisionId"])
        }
        try db.create(table: "period") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("school", onDelete: .cascade).notNull()
            t.column("schoolYear", .integer).notNull()
            t.column("label", .text).notNull()
            t.column("startsOn", .text).notNull()
            t.column("endsOn", .text).notNull()
            t.uniqueKey(["schoolId", "schoolYear", "label"])
        }
        // How each referential version computes masteries; no row means the defaults.
        try db.create(table: "referentialPolicy") { t in
            t.primaryKey("referentialId", .integer).references("referential", onDelete: .cascade)
            t.column("masteryMethod", .text).notNull()
            t.column("rollUpRule", .text).notNull()
        }
        // Evidence is never deleted: a withdrawn evaluation keeps its row and its history.
        try db.create(table: "evaluation") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("student").notNull()
            t.belongsTo("node", inTable: "referentialNode").notNull()
            t.column("code", .text).notNull()
            t.column("observedOn", .text).notNull()
            t.column("context", .text).notNull()
            t.column("company", .text)
            t.column("tutor", .text)
            t.column("evaluator", .text)
            t.column("comment", .text)
            t.column("evidence", .text)
            t.column("isOverride", .boolean).notNull().defaults(to: false)
            t.column("recordedAt", .datetime).notNull()
            t.column("recordedBy", .text)
            t.column("withdrawnAt", .datetime)
        }
        // One index only, the one every mastery computation reads by: each extra index slows
        // the bulk import of a million evaluations.
        try db.execute(sql: "DROP INDEX IF EXISTS index_evaluation_on_studentId")
        try db.execute(sql: "DROP INDEX IF EXISTS index_evaluation_on_nodeId")
        try db.create(index: "evaluation_on_student_node", on: "evaluation", columns: ["studentId", "nodeId", "observedOn"])
        try db.create(table: "evaluationChange") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("evaluation", onDelete: .cascade).notNull()
            t.column("changedAt", .datetime).notNull()
            t.column("changedBy", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("before", .text).notNull()
            t.column("after", .text).notNull()
            t.column("reason", .text)
        }
        // Computed from evaluations; can be rebuilt at any time.
        try db.create(table: "mastery", options: .withoutRowID) { t in
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.belongsTo("node", inTable: "referentialNode", onDelete: .cascade).notNull()
            t.column("rank", .integer)
            t.column("levelCode", .text)
            t.column("score", .double)
            t.column("isAcquired", .boolean).notNull()
            t.column("explanation", .text).notNull()
            t.column("observationCount", .integer).notNull()
            t.column("lastObservedOn", .text)
            t.primaryKey(["studentId", "nodeId"])
        }
        try db.create(table: "evaluationRequest") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.belongsTo("node", inTable: "referentialNode").notNull()
            t.column("message", .text)
            t.column("requestedAt", .datetime).notNull()
            t.column("status", .text).notNull()
            t.column("answer", .text)
            t.column("answeredBy", .text)
            t.column("answeredAt", .datetime)
        }
    }

    private static func createBadges(_ db: Database) throws {
        // The school as an Open Badges issuer. Private keys never enter the database.
        try db.create(table: "issuer") { t in
            t.primaryKey("schoolId", .integer).references("school", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.column("url", .text).notNull()
            t.column("email", .text).notNull()
            t.column("publicBaseURL", .text).notNull()
            t.column("createdAt", .datetime).notNull()
        }
        // Public halves of the signing keys; a retired key stays to verify what it signed.
        try db.create(table: "issuerKey") { t in
            t.primaryKey("id", .text)
            t.belongsTo("school", onDelete: .cascade).notNull()
            t.column("algorithm", .text).notNull()
            t.column("publicKeyPEM", .text).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("retiredAt", .datetime)
        }
        try db.create(table: "badgeClass") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("school", onDelete: .cascade).notNull()
            t.column("code", .text).notNull()
            t.column("name", .text).notNull()
            t.column("description", .text).notNull()
            t.column("criteria", .text).notNull()
            t.column("rule", .text).notNull()
            // The referential version the rule reads, for a rule other than « manuel ».
            t.belongsTo("referential", onDelete: .restrict)
            t.column("color", .text).notNull()
            t.column("validityMonths", .integer)
            t.column("createdAt", .datetime).notNull()
            t.uniqueKey(["schoolId", "code"])
        }
        try db.create(table: "badgeAlignment") { t in
            t.belongsTo("badgeClass", onDelete: .cascade).notNull()
            t.column("position", .integer).notNull()
            t.column("targetName", .text).notNull()
            t.column("targetUrl", .text)
            t.column("targetFramework", .text)
            t.column("targetCode", .text)
            t.column("targetDescription", .text)
            t.column("referentialCode", .text)
            t.column("referentialVersion", .text)
            t.column("nodeCode", .text)
            t.primaryKey(["badgeClassId", "position"])
        }
        // An award is never deleted: a revocation keeps the row, with who, when and why.
        try db.create(table: "badgeAward") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("uuid", .text).notNull().unique()
            t.belongsTo("badgeClass").notNull()
            t.belongsTo("student", onDelete: .cascade).notNull()
            t.column("awardedOn", .text).notNull()
            t.column("awardedAt", .datetime).notNull()
            t.column("awardedBy", .text).notNull()
            t.column("evidence", .text).notNull()
            t.column("achievedLevel", .text)
            // Set when corrected evidence no longer meets the rule: a teacher decides.
            t.column("reviewReason", .text)
            t.column("revokedAt", .datetime)
            t.column("revokedBy", .text)
            t.column("revocationReason", .text)
        }
        try db.create(index: "badgeAward_on_student", on: "badgeAward", columns: ["studentId", "badgeClassId"])
    }

    /// The nodes each rule reads, derived from the rule and the referential version (which
    /// never changes): what lets recording one evaluation check only the badges it can affect.
    private static func createBadgeRequirements(_ db: Database) throws {
        try db.create(table: "badgeRequirement", options: .withoutRowID) { t in
            t.belongsTo("badgeClass", onDelete: .cascade).notNull()
            t.belongsTo("node", inTable: "referentialNode", onDelete: .cascade).notNull()
            t.primaryKey(["badgeClassId", "nodeId"])
        }
        try BadgeStore().deriveMissingRequirements(in: db)
    }

    /// Signed-in sessions outlive a restart of the server; the secret signs the anti-forgery
    /// token of forms shown before sign-in.
    private static func createWebSessions(_ db: Database) throws {
        try db.create(table: "webSession") { t in
            t.primaryKey("key", .text)
            t.column("value", .blob).notNull()
            t.column("expiresAt", .datetime)
            t.column("lastSeenAt", .datetime).notNull()
        }
        try db.create(table: "webSecret") { t in
            t.primaryKey("name", .text)
            t.column("value", .blob).notNull()
        }
    }
}

// Rows of these values are read by column name, as they are declared.
extension Teacher {
    init(row: SQLRow) {
        self.init(id: row["id"], schoolId: row["schoolId"], login: row["login"], name: row["name"])
    }
}

extension TaughtDivision {
    init(row: SQLRow) {
        self.init(code: row["code"], kind: row["kind"], students: row["students"])
    }
}

extension ReferentialSummary {
    init(row: SQLRow) {
        self.init(id: row["id"], code: row["code"], version: row["version"], title: row["title"], kind: row["kind"],
                  scaleCode: row["scaleCode"], format: row["format"], importedAt: row["importedAt"], nodeCount: row["nodeCount"],
                  evaluableCount: row["evaluableCount"])
    }
}

extension AcquisDatabase {
    /// Copies the database into a new file while it is in use, through SQLite's online backup:
    /// the copy is one consistent state, even with writers at work. The file appears whole or
    /// not at all (written under a temporary name, then renamed); an existing file is never
    /// replaced (``BackupError/fileExists(_:)``).
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError.fileExists(path) }
        let partial = path + ".partiel-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        do {
            let copy = try DatabaseQueue(path: partial)
            try writer.backup(to: copy)
            try copy.close()
        }
        guard rename(partial, path) == 0 else { throw BackupError.notWritten(path) }
    }
}

/// Why a backup was not made.
public enum BackupError: Error, Equatable, CustomStringConvertible {
    /// The backup file exists already: it is kept, never overwritten.
    case fileExists(String)
    /// The backup could not be written there.
    case notWritten(String)

    public var description: String {
        switch self {
        case let .fileExists(path): "\(path) existe déjà : choisissez un autre nom, la sauvegarde ne remplace aucun fichier"
        case let .notWritten(path): "impossible d’écrire la sauvegarde \(path) : vérifiez le dossier et la place libre"
        }
    }
}
