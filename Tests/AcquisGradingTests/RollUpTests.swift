import AcquisCore
import AcquisGrading
import Testing

@Suite("Roll-up of blocks and socle components")
struct RollUpTests {
    /// A block of four competencies.
    static let block = ReferentialNode(kind: .block, code: "B1", title: "Conseiller et vendre", children: [
        ReferentialNode(kind: .competency, code: "C1", title: "Veille", children: [
            ReferentialNode(kind: .item, code: "C1.1", title: "Rechercher"),
        ]),
        ReferentialNode(kind: .competency, code: "C2", title: "Vente"),
        ReferentialNode(kind: .domain, code: "G", title: "Groupe", children: [
            ReferentialNode(kind: .competency, code: "C3", title: "Exécution"),
            ReferentialNode(kind: .competency, code: "C4", title: "Suivi"),
        ]),
    ])

    private func masteries(_ codes: [String: String], policy: MasteryPolicy) -> [String: Mastery] {
        let calculator = MasteryCalculator(policy: policy)
        return codes.mapValues { code in
            calculator.mastery(of: [Observation(date: CalendarDate(iso: "2026-01-10")!, code: code)])
        }
    }

    @Test("the nearest evaluable nodes are counted once: items under a competency are not counted again")
    func components() {
        let summary = RollUp(rule: .allAcquired, policy: MasteryPolicy(scale: .benevolent))
            .summary(of: Self.block, masteries: [:])
        #expect(summary.componentCodes == ["C1", "C2", "C3", "C4"])
    }

    @Test("a block is acquired when every competency is, and says how many remain otherwise")
    func allAcquired() {
        let policy = MasteryPolicy(scale: .benevolent)
        let rollUp = RollUp(rule: .allAcquired, policy: policy)
        let partial = rollUp.summary(of: Self.block, masteries: masteries(["C1": "A", "C2": "M", "C3": "EC"], policy: policy))
        #expect(!partial.isAcquired)
        #expect(partial.explanation == "2 compétences acquises sur 4 ; encore 2 à valider")
        let complete = rollUp.summary(of: Self.block,
                                      masteries: masteries(["C1": "A", "C2": "M", "C3": "A", "C4": "A"], policy: policy))
        #expect(complete.isAcquired)
        #expect(complete.explanation == "Acquis : les 4 compétences sont acquises")
    }

    @Test("a proportion rule rounds the number needed up")
    func proportion() {
        let policy = MasteryPolicy(scale: .benevolent)
        let summary = RollUp(rule: .proportionAcquired(0.75), policy: policy)
            .summary(of: Self.block, masteries: masteries(["C1": "A", "C2": "A", "C3": "PE"], policy: policy))
        #expect(!summary.isAcquired)
        #expect(summary.explanation == "2 compétences acquises sur 4, 3 nécessaires")
    }

    @Test("SACoche's socle example: A, A, VA, NA gives 62.5 %, position 3")
    func soclePosition() {
        let scale = Scale(code: "etats", title: "États d’acquisition", levels: [
            .init(code: "NA", teacherLabel: "Non acquis", studentLabel: "Pas encore", color: "#E69F00", marker: "○", isAcquired: false),
            .init(code: "VA", teacherLabel: "En voie d’acquisition", studentLabel: "En route", color: "#F0E442", marker: "◐", isAcquired: false),
            .init(code: "A", teacherLabel: "Acquis", studentLabel: "Je sais", color: "#009E73", marker: "●", isAcquired: true),
        ], specialCodes: [])
        let policy = MasteryPolicy(scale: scale)
        let summary = RollUp(rule: .sacocheThresholds, policy: policy)
            .summary(of: Self.block, masteries: masteries(["C1": "A", "C2": "A", "C3": "VA", "C4": "NA"], policy: policy))
        #expect(summary.percentage == 62.5)
        #expect(summary.position == 3)
        #expect(summary.explanation == "Maîtrise satisfaisante (position 3) d’après 4 compétences évaluées : seuils 35 / 60 / 81")
    }

    @Test("« maîtrise fragile » on every objective is « maîtrise fragile » on the component; exactly halfway, the lower position")
    func socleNearest() {
        let policy = MasteryPolicy(scale: .socle2015)
        let rollUp = RollUp(rule: .socleDefault, policy: policy)
        func position(_ levels: [String: String]) -> NodeSummary {
            rollUp.summary(of: Self.block, masteries: masteries(levels, policy: policy))
        }
        let fragile = position(["C1": "MF", "C2": "MF", "C3": "MF", "C4": "MF"])
        #expect(fragile.position == 2)
        #expect(fragile.explanation == "Maîtrise fragile (position 2) d’après 4 compétences évaluées : "
            + "position la plus proche de leur niveau moyen")
        #expect(!fragile.explanation.contains("%"), "no percentage in classes sans notes")
        #expect(position(["C1": "MS", "C2": "MS"]).position == 3)
        #expect(position(["C1": "MF", "C2": "MS"]).position == 2, "50 %: halfway stays at the lower position")
        #expect(position(["C1": "MF", "C2": "MS", "C3": "MS"]).position == 3)
        #expect(position(["C1": "MI", "C2": "TBM"]).position == 2)
        #expect(position(["C1": "TBM", "C2": "TBM", "C3": "MS"]).position == 4)
    }

    @Test("SACoche's thresholds: 34 % is position 1, 35 % position 2, 60 % position 3, 81 % position 4")
    func thresholds() {
        let node = ReferentialNode(kind: .domain, code: "D", title: "D", children: [
            ReferentialNode(kind: .competency, code: "X", title: "X"),
        ])
        func positions(values: [Double], codes: [String]) -> [Int?] {
            let policy = MasteryPolicy(scale: .benevolent, values: values)
            let rollUp = RollUp(rule: .sacocheThresholds, policy: policy)
            return codes.map { rollUp.summary(of: node, masteries: masteries(["X": $0], policy: policy)).position }
        }
        #expect(positions(values: [0, 34, 35, 100], codes: ["EC", "A", "M"]) == [1, 2, 4])
        #expect(positions(values: [0, 59, 60, 100], codes: ["EC", "A"]) == [2, 3])
        #expect(positions(values: [0, 80, 81, 100], codes: ["EC", "A"]) == [3, 4])
    }

    @Test("nothing evaluated yet gives no position")
    func nothingEvaluated() {
        let summary = RollUp(rule: .socleDefault, policy: MasteryPolicy(scale: .benevolent))
            .summary(of: Self.block, masteries: [:])
        #expect(summary.position == nil)
        #expect(summary.explanation.hasPrefix("Pas encore de positionnement"))
    }
}

@Suite("Method and rule names")
struct PolicyNameTests {
    @Test("every method reads back from the name it is written as")
    func methodNames() {
        let methods: [MasteryMethod] = [.benevolent(window: 3), .mostRecent, .highest, .bestOf(2), .averageOfLast(nil),
                                        .averageOfLast(4), .geometric(limit: 5), .weightedAverage(latestWeight: 0.65),
                                        .decayingAverage(rate: 0.5), .nTimes(3), .mostFrequent(ties: .lowest),
                                        .mostFrequent(ties: .highest)]
        for method in methods {
            #expect(MasteryMethod(method.description) == method)
        }
        #expect(MasteryMethod("geometrique") == .geometric(limit: 5))
        #expect(MasteryMethod("degressive:0,65") == .decayingAverage(rate: 0.65))
        #expect(MasteryMethod("geometrique:6") == nil)
        #expect(MasteryMethod("moyenne:0") == nil)
        #expect(MasteryMethod("median") == nil)
    }

    @Test("rules read back too; socle thresholds must rise")
    func ruleNames() {
        for rule: RollUpRule in [.allAcquired, .proportionAcquired(0.75), .socleDefault, .sacocheThresholds,
                                 .soclePosition(thresholds: [30, 55, 80])] {
            #expect(RollUpRule(rule.description) == rule)
        }
        #expect(RollUpRule("socle:60/35/81") == nil)
        #expect(RollUpRule.default(for: .socle) == .socleDefault)
        #expect(RollUpRule("socle:sacoche") == .sacocheThresholds)
    }
}
