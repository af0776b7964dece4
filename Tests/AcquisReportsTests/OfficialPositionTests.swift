import AcquisCore
import AcquisGrading
import AcquisReports
import Testing

/// What official exports say, decided from domain values alone.
@Suite("Official positions (LSU, LSL)")
struct OfficialPositionTests {
    static let block = ReferentialNode(kind: .block, code: "B1", title: "Bloc", externalCodes: [ExternalCode(system: .rncp, value: "RNCP34947BC01")],
                                       children: [ReferentialNode(kind: .competency, code: "B1.1", title: "Réceptionner")])
    static let option = ReferentialNode(kind: .block, code: "B4", title: "Option", externalCodes: [ExternalCode(system: .rncp, value: "RNCP32208")],
                                        children: [ReferentialNode(kind: .competency, code: "B4.1", title: "Vendre")])

    @Test("a competency takes its block's RNCP code; a fiche number names no block")
    func blockCodes() {
        let referential = Referential(code: "CAP-EPC", version: "2019", title: "CAP", kind: .diplome, scaleCode: "acquis-4",
                                      children: [Self.block, Self.option])
        let codes = LSLPosition.blockCodes(in: referential)
        #expect(codes["B1.1"] == "RNCP34947BC01")
        #expect(codes["B1"] == "RNCP34947BC01")
        #expect(codes["B4.1"] == nil)
    }

    @Test("a socle component observed takes its level's LSU value; dispensed without a level, 0")
    func positions() throws {
        let scale = try #require(Scale.builtIn(code: "socle-2015"))
        let component = ReferentialNode(kind: .domain, code: "D1.1", title: "Langue française", isEvaluable: true)
        let policy = MasteryPolicy(scale: scale, method: .default)
        let rollUp = RollUp(rule: .default(for: .socle), policy: policy)
        let day = CalendarDate(year: 2026, month: 10, day: 8)!
        let seen = [Observation(date: day, code: scale.levels[2].code)]
        let mastery = MasteryCalculator(policy: policy).mastery(of: seen)
        #expect(CycleAssessment.position(of: component, observations: ["D1.1": seen], masteries: ["D1.1": mastery],
                                         rollUp: rollUp, scale: scale) == Int(scale.levels[2].officialValue ?? "3"))
        let dispensed = try #require(scale.specialCodes.first { $0.meaning == .dispensed })
        #expect(CycleAssessment.position(of: component, observations: ["D1.1": [Observation(date: day, code: dispensed.code)]],
                                         masteries: [:], rollUp: rollUp, scale: scale) == 0)
    }

    @Test("without the team's synthesis, LSU gets what the positions say, plainly")
    func factualSynthesis() {
        #expect(CycleAssessment.factualSynthesis(["A": 3, "B": 4, "C": 2], evidence: 12)
                == "Positionnement établi à partir de 12 observations : maîtrise satisfaisante ou très bonne pour 2 composantes sur 8.")
    }
}
