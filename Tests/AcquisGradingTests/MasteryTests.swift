import AcquisCore
import AcquisGrading
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

/// Observations with the given codes, one a week from 1 September 2025, oldest first.
private func observations(_ codes: [String], context: Observation.Context = .classe) -> [Observation] {
    codes.enumerated().map { index, code in
        let date = CalendarDate(year: 2025, month: 9 + index / 4, day: 1 + 7 * (index % 4))!
        return Observation(date: date, code: code, context: context)
    }
}

@Suite("Mastery: SACoche's worked example (RR, V, VV with values 0, 33, 67, 100)")
struct SACocheExampleTests {
    static let scale = Scale(
        code: "sacoche", title: "SACoche",
        levels: [
            .init(code: "RR", teacherLabel: "Très insuffisant", studentLabel: "Pas encore", color: "#E69F00", marker: "○", isAcquired: false),
            .init(code: "R", teacherLabel: "Insuffisant", studentLabel: "En route", color: "#F0E442", marker: "◐", isAcquired: false),
            .init(code: "V", teacherLabel: "Satisfaisant", studentLabel: "Je sais", color: "#56B4E9", marker: "●", isAcquired: true),
            .init(code: "VV", teacherLabel: "Très satisfaisant", studentLabel: "Je maîtrise", color: "#009E73", marker: "★", isAcquired: true),
        ],
        specialCodes: [.absent])
    let evidence = observations(["RR", "V", "VV"])

    private func score(_ method: MasteryMethod) -> Double? {
        MasteryCalculator(policy: MasteryPolicy(scale: Self.scale, method: method, values: [0, 33, 67, 100]))
            .mastery(of: evidence).score
    }

    @Test("geometric weights 1, 2, 4: 534 / 7 = 76.3")
    func geometric() throws {
        #expect(abs(try #require(score(.geometric(limit: 5))) - 534.0 / 7) < 1e-9)
    }

    @Test("classique: mean 55.7; bestof1: 100; bestof2: 83.5; bestof3: 55.7")
    func averages() throws {
        #expect(abs(try #require(score(.averageOfLast(nil))) - 167.0 / 3) < 1e-9)
        #expect(score(.highest) == 100)
        #expect(score(.bestOf(2)) == 83.5)
        #expect(abs(try #require(score(.bestOf(3))) - 167.0 / 3) < 1e-9)
    }

    @Test("frequencemin and frequencemax break the three-way tie downwards and upwards")
    func frequency() {
        #expect(score(.mostFrequent(ties: .lowest)) == 0)
        #expect(score(.mostFrequent(ties: .highest)) == 100)
    }
}

@Suite("Mastery: Canvas' worked example (1, 2, 3, 4, 5 out of 5, mastery at 3)")
struct CanvasExampleTests {
    static let scale = Scale(
        code: "canvas", title: "Canvas",
        levels: (1...5).map { points in
            Scale.Level(code: String(points), teacherLabel: "\(points) points", studentLabel: "\(points)",
                        color: "#56B4E9", marker: ["○", "◔", "◑", "◕", "●"][points - 1], isAcquired: points >= 3)
        },
        specialCodes: [])
    let evidence = observations(["1", "2", "3", "4", "5"])

    private func mastery(_ method: MasteryMethod) -> Mastery {
        MasteryCalculator(policy: MasteryPolicy(scale: Self.scale, method: method, values: [1, 2, 3, 4, 5]))
            .mastery(of: evidence)
    }

    @Test("weighted average, 65 %: 5 × 0.65 + mean(1…4) × 0.35 = 4.13")
    func weighted() throws {
        #expect(abs(try #require(mastery(.weightedAverage(latestWeight: 0.65)).score) - 4.125) < 1e-9)
    }

    @Test("decaying average, rate 0.65: 4.47")
    func decaying() throws {
        #expect(abs(try #require(mastery(.decayingAverage(rate: 0.65)).score) - 4.4696) < 1e-4)
    }

    @Test("three times at mastery: mean of 3, 4, 5 = 4; four times: no level yet")
    func nTimes() {
        #expect(mastery(.nTimes(3)).score == 4)
        let notYet = mastery(.nTimes(4))
        #expect(notYet.score == nil && notYet.level == nil)
        #expect(notYet.explanation.contains("3 fois sur les 4 nécessaires"))
    }

    @Test("highest 5, latest 5, average 3")
    func simpleMethods() {
        #expect(mastery(.highest).score == 5)
        #expect(mastery(.mostRecent).score == 5)
        #expect(mastery(.averageOfLast(nil)).score == 3)
    }
}

@Suite("Mastery: the benevolent default and explanations")
struct BenevolentMasteryTests {
    let calculator = MasteryCalculator(policy: MasteryPolicy(scale: .benevolent))

    @Test("early attempts do not count against a student who has since succeeded")
    func earlyAttemptsForgotten() {
        let mastery = calculator.mastery(of: observations(["PE", "PE", "PE", "EC", "A", "EC"]))
        #expect(mastery.level?.code == "A")
        #expect(mastery.isAcquired)
        #expect(mastery.counted.map(\.code) == ["EC", "A", "EC"])
    }

    @Test("the explanation names the level, the window and when and where it was reached")
    func explanation() {
        var evidence = observations(["EC", "PE"])
        evidence.append(Observation(date: day("2026-03-12"), code: "A", context: .pfmp(company: "Boutique Dupont", tutor: "M. Martin")))
        let mastery = calculator.mastery(of: evidence)
        #expect(mastery.explanation == "Acquis : meilleur niveau des 3 observations, atteint le 12/03/2026 en PFMP (Boutique Dupont)")
    }

    @Test("observation dates order the evidence, not the order of typing")
    func orderedByObservationDate() {
        let late = Observation(date: day("2026-01-10"), code: "PE")
        let early = Observation(date: day("2025-10-01"), code: "M")
        let mastery = MasteryCalculator(policy: MasteryPolicy(scale: .benevolent, method: .mostRecent))
            .mastery(of: [late, early])
        #expect(mastery.level?.code == "PE")
    }

    @Test("special codes and self-evaluations never count, and the explanation says so")
    func ignoredEvidence() {
        var evidence = observations(["EC", "ABS"])
        evidence.append(Observation(date: day("2026-02-01"), code: "M", context: .autoEvaluation))
        let mastery = calculator.mastery(of: evidence)
        #expect(mastery.level?.code == "EC")
        #expect(mastery.ignored.count == 2)
        #expect(mastery.explanation.hasSuffix("(non comptées : 1 absence, 1 auto-évaluation)"))
    }

    @Test("no evidence yet is said positively, without a level")
    func noEvidence() {
        let mastery = calculator.mastery(of: observations(["ABS"]))
        #expect(mastery.level == nil)
        #expect(mastery.explanation.hasPrefix("Pas encore d’observation"))
    }

    @Test("a teacher's decision sets the level until newer evidence arrives")
    func override() {
        var evidence = observations(["PE", "EC"])
        evidence.append(Observation(date: day("2026-01-15"), code: "A", evaluator: "Mme Leroy", isOverride: true))
        let decided = calculator.mastery(of: evidence)
        #expect(decided.level?.code == "A")
        #expect(decided.explanation == "Acquis : niveau fixé par Mme Leroy le 15/01/2026, décision de l’équipe pédagogique")

        evidence.append(Observation(date: day("2026-02-01"), code: "M"))
        #expect(calculator.mastery(of: evidence).level?.code == "M")
    }
}

@Suite("Mastery: from a score to a level")
struct ScoreToLevelTests {
    let policy = MasteryPolicy(scale: .benevolent, method: .averageOfLast(nil))

    private func mastery(_ codes: [String]) -> Mastery {
        MasteryCalculator(policy: policy).mastery(of: observations(codes))
    }

    @Test("exactly halfway between two levels gives the lower one: « En cours » then « Acquis » is still « En cours »")
    func halfwayGoesDown() {
        #expect(mastery(["EC", "A"]).level?.code == "EC")
        #expect(mastery(["EC", "A", "A"]).level?.code == "A", "55.6 is nearer « Acquis »")
        #expect(mastery(["PE", "A"]).level?.code == "EC", "33.3 is « En cours » exactly")
        #expect(mastery(["A", "M"]).level?.code == "A", "83.3 is halfway: « Acquis »")
    }

    @Test("the explanation of an average gives the value and the rule, once the value falls between two levels")
    func explained() {
        #expect(mastery(["EC", "A"]).explanation.hasSuffix("valeur 50 sur 100, niveau le plus proche (à mi-chemin, le niveau inférieur)"))
        #expect(!mastery(["A", "A"]).explanation.contains("valeur"))
    }
}
