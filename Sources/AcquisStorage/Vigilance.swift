import AcquisVigilance
import AcquisCore
import AcquisGrading
import Foundation

/// One student of a vigilance list: their signals and the latest follow-up.
public struct VigilanceEntry: Hashable, Sendable {
    public var student: StoredStudent
    public var signals: [Signal]
    public var lastFollowUp: FollowUp?

    /// On the list of students to follow: at least one signal. A student who recovers leaves it.
    public var isFlagged: Bool { !signals.isEmpty }

    public init(student: StoredStudent, signals: [Signal], lastFollowUp: FollowUp? = nil) {
        self.student = student
        self.signals = signals
        self.lastFollowUp = lastFollowUp
    }
}
