import AcquisGrading
import AcquisCore
import Foundation

/// The LSU « bilan de cycle » of a set of collège students: the eight socle components each
/// positioned 0 (dispensé) to 4, and the team's synthesis.
public struct CycleAssessment: Sendable {
    /// The eight LSU codes, in the order of the livret.
    public static let components = ["CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND"]

    public var school: SchoolIdentity
    /// The head of school who signs the bilans (`responsable-etab`).
    public var headOfSchool: String
    public var cycle: Int
    /// The school year's first year, as LSU's `millesime` (2026 for 2026-2027).
    public var schoolYear: SchoolYear
    public var createdOn: CalendarDate
    public var students: [Student]

    public init(school: SchoolIdentity, headOfSchool: String, cycle: Int, schoolYear: SchoolYear, createdOn: CalendarDate,
                students: [Student]) {
        self.school = school
        self.headOfSchool = headOfSchool
        self.cycle = cycle
        self.schoolYear = schoolYear
        self.createdOn = createdOn
        self.students = students
    }

    public struct Student: Sendable {
        /// SIECLE's `ELEVE_ID`, which LSU calls `id-be`.
        public var schoolID: String
        public var lastName: String
        public var firstName: String
        public var division: String
        /// Position 0–4 by LSU code, for the eight components.
        public var positions: [String: Int]
        public var synthesis: String

        public init(schoolID: String, lastName: String, firstName: String, division: String, positions: [String: Int],
                    synthesis: String) {
            self.schoolID = schoolID
            self.lastName = lastName
            self.firstName = firstName
            self.division = division
            self.positions = positions
            self.synthesis = synthesis
        }
    }
}

/// What stops a student's bilan de cycle from being exported, said so a teacher can fix it.
public struct MissingPosition: Hashable, Sendable, CustomStringConvertible {
    public var student: String
    public var division: String
    public var components: [String]

    public init(student: String, division: String, components: [String]) {
        self.student = student
        self.division = division
        self.components = components
    }

    public var description: String {
        "\(student) (\(division)) : pas encore de positionnement pour \(components.joined(separator: ", ")) ; "
            + "évaluez ces composantes ou notez DI si l’élève en est dispensé(e)"
    }
}

/// One competency of a bac pro or CAP student positioned on the four LSL Pro degrees.
public struct LSLPosition: Sendable {
    public var ine: String?
    public var lastName: String
    public var firstName: String
    public var division: String
    public var referential: ReferentialIdentity
    public var competencyCode: String
    public var competencyTitle: String
    /// The RNCP block code of the competency's block, when the referential gives it.
    public var rncpCode: String?
    /// 1 to 4.
    public var degree: Int
    public var levelCode: String
    /// What the workplace tutors wrote of the student's PFMP in this referential during the
    /// period (« Entreprise : appréciation », several joined by « / »); nil when none.
    public var pfmpAppreciation: String? = nil

    public init(ine: String?, lastName: String, firstName: String, division: String, referential: ReferentialIdentity,
                competencyCode: String, competencyTitle: String, rncpCode: String?, degree: Int, levelCode: String) {
        self.ine = ine
        self.lastName = lastName
        self.firstName = firstName
        self.division = division
        self.referential = referential
        self.competencyCode = competencyCode
        self.competencyTitle = competencyTitle
        self.rncpCode = rncpCode
        self.degree = degree
        self.levelCode = levelCode
    }
    /// The RNCP block code of each node of a referential, by node code: its own, else its
    /// nearest block's. Only a block code (`RNCP34947BC01`) names a block; a fiche number
    /// (`RNCP32208`), which some blocks carry for an option, does not.
    public static func blockCodes(in referential: Referential) -> [String: String] {
        func blockCode(of node: ReferentialNode?) -> String? {
            node?.externalCodes.first { $0.system == .rncp && isBlockCode($0.value) }?.value
        }
        var codes: [String: String] = [:]
        for entry in referential.entries {
            let ancestors = entry.ancestorCodes.compactMap { blockCode(of: referential.node(code: $0)) }
            if let code = blockCode(of: entry.node) ?? ancestors.last { codes[entry.node.code] = code }
        }
        return codes
    }

    /// Whether a code names an RNCP block (`RNCP34947BC01`), not a whole fiche.
    public static func isBlockCode(_ code: String) -> Bool {
        code.range(of: #"^RNCP[0-9]+BC[0-9]+$"#, options: .regularExpression) != nil
    }

    /// What the LSL column says of a block without a known code.
    public static let unknownBlockCode = "non renseigné"


    /// A level on the LSL Pro degrees: its rank spread over 1–4, so that a four-level scale
    /// (`lsl-pro` itself, `acquis-4`, `socle-2015`) maps one to one and the acquired threshold
    /// of `acquis-4` lands on 3, « compétences maîtrisées ». Official values are not used: other
    /// scales' values mean something else (the LPC's « validé » is 1).
    public static func degree(of level: Scale.Level, in scale: Scale) -> Int? {
        guard let rank = scale.levels.firstIndex(of: level) else { return nil }
        let steps = scale.levels.count - 1
        return steps == 0 ? 4 : 1 + Int((Double(rank * 3) / Double(steps)).rounded())
    }
}

extension CycleAssessment {
    /// A socle component's position: its own level's LSU value when it was observed, 0 when the
    /// student is dispensed (DI) and has no level, else the roll-up of its objectives.
    public static func position(of node: ReferentialNode, observations: [String: [Observation]], masteries: [String: Mastery],
                                rollUp: RollUp, scale: Scale) -> Int? {
        if let mastery = masteries[node.code], let level = mastery.level, let rank = mastery.rank {
            return level.officialValue.flatMap(Int.init) ?? rank + 1
        }
        if let last = observations[node.code]?.last, case let .special(special)? = scale.mark(for: last.code),
           special.meaning == .dispensed {
            return 0
        }
        return rollUp.summary(of: node, masteries: masteries).position
    }

    /// The synthesis LSU requires when the team wrote none: what the positions say, plainly.
    public static func factualSynthesis(_ positions: [String: Int], evidence: Int) -> String {
        let secure = positions.values.filter { $0 >= 3 }.count
        return "Positionnement établi à partir de \(French.counted(evidence, "observation")) : maîtrise satisfaisante ou très bonne "
            + "pour \(French.counted(secure, "composante")) sur 8."
    }
}
