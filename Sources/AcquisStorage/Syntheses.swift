import AcquisCore
import AcquisGrading
import Foundation

/// A teacher's synthesis of a student's period and the goals set for the next one.
public struct StoredSynthesis: Hashable, Sendable {
    public var text: String
    public var goals: [String]
    public var author: String
    public var writtenOn: CalendarDate

    public init(text: String, goals: [String], author: String, writtenOn: CalendarDate) {
        self.text = text
        self.goals = goals
        self.author = author
        self.writtenOn = writtenOn
    }
}

/// What a student writes of a period, before the team's synthesis: their own words.
public struct StudentReflection: Hashable, Sendable {
    /// « Ce dont je suis fier·e ».
    public var proud: String
    /// « Ce que je veux travailler ».
    public var toWork: String
    public var writtenAt: Date

    public init(proud: String, toWork: String, writtenAt: Date) {
        self.proud = proud
        self.toWork = toWork
        self.writtenAt = writtenAt
    }
}

/// A family's « Vu par la famille » on a period's bilan: who, and when. Kept.
public struct FamilyAcknowledgement: Hashable, Sendable {
    public var name: String
    public var at: Date

    public init(name: String, at: Date) {
        self.name = name
        self.at = at
    }
}

/// A class's period closed by its main teacher (or the school's team), or reopened by
/// direction: who, when and why. Each is kept as a trace.
public struct PeriodClosing: Hashable, Sendable {
    /// True for a closing, false for a reopening.
    public var closed: Bool
    /// Who did it, as people read their name.
    public var actor: String
    /// Why a period was reopened; nil for a closing.
    public var reason: String?
    public var at: Date

    public init(closed: Bool, actor: String, reason: String? = nil, at: Date) {
        self.closed = closed
        self.actor = actor
        self.reason = reason
        self.at = at
    }
}
