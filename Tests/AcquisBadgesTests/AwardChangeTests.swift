import AcquisBadges
import AcquisCore
import Testing

/// What a rule's decision does to a student's awards: pure, before any store writes it.
@Suite("Award changes decided by a badge rule")
struct AwardChangeTests {
    static let earned = BadgeDecision.earned(on: CalendarDate(year: 2026, month: 10, day: 8)!, evidence: [])
    static let notYet = BadgeDecision.notYet(missing: ["B1.1", "B1.2"])

    @Test("a rule met for the first time awards the badge; met again, it awards nothing more")
    func firstTime() {
        #expect(Self.earned.changes(to: [], cause: "une observation plus récente") == [.award])
        #expect(Self.earned.changes(to: [AwardState(id: 1, isRevoked: false, isUnderReview: false)], cause: "x").isEmpty)
    }

    @Test("a badge a teacher revoked is never awarded again by its rule")
    func revoked() {
        #expect(Self.earned.changes(to: [AwardState(id: 1, isRevoked: true, isUnderReview: false)], cause: "x").isEmpty)
    }

    @Test("evidence that stops meeting the rule flags the award, saying why, once; meeting it again lifts the flag")
    func review() {
        let active = AwardState(id: 7, isRevoked: false, isUnderReview: false)
        #expect(Self.notYet.changes(to: [active], cause: "une évaluation corrigée") == [
            .flagForReview(id: 7, reason: "après une évaluation corrigée, B1.1, B1.2 ne sont plus au niveau demandé"),
        ])
        let flagged = AwardState(id: 7, isRevoked: false, isUnderReview: true)
        #expect(Self.notYet.changes(to: [flagged], cause: "x").isEmpty)
        #expect(Self.earned.changes(to: [flagged], cause: "x") == [.clearReview(id: 7)])
        #expect(BadgeDecision.notYet(missing: ["B1.1"]).changes(to: [active], cause: "une évaluation retirée") == [
            .flagForReview(id: 7, reason: "après une évaluation retirée, B1.1 n’est plus au niveau demandé"),
        ])
    }

    @Test("a rule never met changes nothing, and never takes back a revoked award")
    func nothing() {
        #expect(Self.notYet.changes(to: [], cause: "x").isEmpty)
        #expect(Self.notYet.changes(to: [AwardState(id: 2, isRevoked: true, isUnderReview: false)], cause: "x").isEmpty)
    }
}
