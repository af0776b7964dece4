import AcquisCore

/// Need groups as printed or exported: for the team meeting, the room plan, the timetable.
public struct NeedGroupSheet: Hashable, Sendable {
    public struct Member: Hashable, Sendable {
        public var name: String
        public var reason: String
        /// Set when the teacher placed the student elsewhere than suggested.
        public var suggested: NeedGroup?

        public init(name: String, reason: String, suggested: NeedGroup?) {
            self.name = name
            self.reason = reason
            self.suggested = suggested
        }
    }

    public var division: String
    public var referential: String
    /// « D1.1 Comprendre… », in the order chosen.
    public var competencies: [String]
    public var period: String
    /// Groups in order, then the students to evaluate first under a nil group.
    public var sections: [Section]
    /// « Enregistré par … », or « suggestion » before saving.
    public var status: String

    public struct Section: Hashable, Sendable {
        public var group: NeedGroup?
        public var members: [Member]

        public init(group: NeedGroup?, members: [Member]) {
            self.group = group
            self.members = members
        }
    }

    public init(division: String, referential: String, competencies: [String], period: String, sections: [Section],
                status: String) {
        self.division = division
        self.referential = referential
        self.competencies = competencies
        self.period = period
        self.sections = sections
        self.status = status
    }

    public var title: String { "Groupes de besoin — \(division)" }

    public static func groupTitle(_ group: NeedGroup?) -> String { group?.title ?? "À évaluer d’abord" }
}
