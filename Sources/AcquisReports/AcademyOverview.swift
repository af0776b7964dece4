import AcquisCore
import Foundation

/// What an académie (DANE, IEN, a programme such as num@venir) sees of its schools: counts
/// across schools, never a name, an INE or a school's own figures. A line about fewer than
/// ``minimumStudents`` students is withheld (``isShown``), so that no figure points at a
/// student one could recognise.
public struct AcademyOverview: Hashable, Sendable {
    /// Below this many students, a line's figures are not shown.
    public static let minimumStudents = 5

    /// Schools in the database.
    public var schools: Int
    /// Students of those schools this school year.
    public var students: Int
    /// Each referential evaluated in, by code (every version together).
    public var referentials: [ReferentialUse]
    /// Evaluations by month of observation.
    public var months: [MonthActivity]
    /// Students with each signal today, out of ``students``.
    public var signals: [SignalShare]
    /// Follow-ups by action, and what happened after them.
    public var followUps: [FollowUpEffect]
    /// Badges awarded (not revoked), by diploma and block.
    public var badges: [BadgeTally]

    public init(schools: Int, students: Int, referentials: [ReferentialUse], months: [MonthActivity], signals: [SignalShare],
                followUps: [FollowUpEffect], badges: [BadgeTally]) {
        self.schools = schools
        self.students = students
        self.referentials = referentials
        self.months = months
        self.signals = signals
        self.followUps = followUps
        self.badges = badges
    }

    /// Whether a line about `students` students may be shown.
    public static func isShown(students: Int) -> Bool { students >= minimumStudents }
}

/// A referential evaluated in across the académie.
public struct ReferentialUse: Hashable, Sendable {
    public var code: String
    public var title: String
    public var schools: Int
    public var students: Int
    public var evaluations: Int
    public var isShown: Bool { AcademyOverview.isShown(students: students) }

    public init(code: String, title: String, schools: Int, students: Int, evaluations: Int) {
        (self.code, self.title, self.schools, self.students, self.evaluations) = (code, title, schools, students, evaluations)
    }
}

/// Evaluations observed in one month (`2026-10`).
public struct MonthActivity: Hashable, Sendable {
    public var month: String
    public var students: Int
    public var evaluations: Int
    public var isShown: Bool { AcademyOverview.isShown(students: students) }

    public init(month: String, students: Int, evaluations: Int) {
        (self.month, self.students, self.evaluations) = (month, students, evaluations)
    }

    /// « octobre 2026 ».
    public var label: String {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1...12).contains(parts[1]) else { return month }
        return "\(Self.names[parts[1] - 1]) \(parts[0])"
    }

    private static let names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                                "novembre", "décembre"]
}

/// How many students have one kind of signal.
public struct SignalShare: Hashable, Sendable {
    public var signal: String
    public var students: Int
    /// Out of how many students.
    public var outOf: Int
    public var isShown: Bool { AcademyOverview.isShown(students: students) }
    /// The share in whole percent.
    public var percent: Int { outOf == 0 ? 0 : Int((Double(students) * 100 / Double(outOf)).rounded()) }

    public init(signal: String, students: Int, outOf: Int) {
        (self.signal, self.students, self.outOf) = (signal, students, outOf)
    }
}

/// The follow-ups of one action and, summed, what happened to the students after them:
/// « did it help? ».
public struct FollowUpEffect: Hashable, Sendable {
    /// One of the usual actions, or « Autre action » for any other wording (free text may name
    /// someone: it never leaves its school).
    public var action: String
    public var followUps: Int
    public var students: Int
    /// Students with at least one competency whose level rose since the follow-up.
    public var studentsProgressing: Int
    /// Teachers' evaluations recorded since the follow-ups.
    public var evaluationsSince: Int
    /// Competencies acquired the day before each follow-up, and today.
    public var acquiredBefore: Int
    public var acquiredNow: Int
    public var isShown: Bool { AcademyOverview.isShown(students: students) }

    public init(action: String, followUps: Int, students: Int, studentsProgressing: Int, evaluationsSince: Int,
                acquiredBefore: Int, acquiredNow: Int) {
        self.action = action
        self.followUps = followUps
        self.students = students
        self.studentsProgressing = studentsProgressing
        self.evaluationsSince = evaluationsSince
        self.acquiredBefore = acquiredBefore
        self.acquiredNow = acquiredNow
    }

    /// The action a follow-up counts under: its own wording if usual, else « Autre action ».
    public static func action(of wording: String, usual: [String]) -> String {
        let trimmed = wording.trimmingCharacters(in: .whitespaces)
        return usual.first { $0.compare(trimmed, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedSame } ?? other
    }

    public static let other = "Autre action"
}

/// Badges of one block of one diploma, awarded and not revoked.
public struct BadgeTally: Hashable, Sendable {
    /// The referential's code (the diploma); empty for badges awarded by hand.
    public var diploma: String
    public var diplomaTitle: String
    /// The block's code and title as the badge aligns to it; the badge's name otherwise.
    public var block: String
    public var awards: Int
    public var students: Int
    public var schools: Int
    public var isShown: Bool { AcademyOverview.isShown(students: students) }

    /// « CAP-EPC — CAP Équipier polyvalent du commerce », or what badges awarded by hand are.
    public var diplomaLabel: String { diploma.isEmpty ? "Badges attribués à la main" : "\(diploma) — \(diplomaTitle)" }

    public init(diploma: String, diplomaTitle: String, block: String, awards: Int, students: Int, schools: Int) {
        self.diploma = diploma
        self.diplomaTitle = diplomaTitle
        self.block = block
        self.awards = awards
        self.students = students
        self.schools = schools
    }
}
