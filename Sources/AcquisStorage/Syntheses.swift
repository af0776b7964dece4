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
