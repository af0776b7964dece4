import AcquisCore
import Testing

@Suite("Scales")
struct ScaleTests {
    @Test("every built-in scale is usable", arguments: Scale.builtIn)
    func builtInScalesHaveNoProblems(scale: Scale) {
        #expect(scale.problems().isEmpty)
    }

    @Test("the lowest level never counts as acquired and the highest always does", arguments: Scale.builtIn)
    func lowestNotAcquiredHighestAcquired(scale: Scale) throws {
        #expect(try #require(scale.levels.first).isAcquired == false)
        #expect(try #require(scale.levels.last).isAcquired)
    }

    @Test("levels are told apart without colour", arguments: Scale.builtIn)
    func markersAreDistinct(scale: Scale) {
        #expect(Set(scale.levels.map(\.marker)).count == scale.levels.count)
    }

    @Test("the benevolent scale says « pas encore », never failure")
    func benevolentWording() throws {
        let lowest = try #require(Scale.benevolent.levels.first)
        #expect(lowest.studentLabel.lowercased().hasPrefix("pas encore"))
        for level in Scale.benevolent.levels {
            let label = (level.studentLabel + level.teacherLabel).lowercased()
            #expect(!label.contains("échec") && !label.contains("insuffisant"))
        }
    }

    @Test("the socle scale follows the LSU positions 1–4, with 0 for dispensé")
    func socleOfficialValues() throws {
        #expect(Scale.socle2015.levels.map(\.code) == ["MI", "MF", "MS", "TBM"])
        #expect(Scale.socle2015.levels.map(\.officialValue) == ["1", "2", "3", "4"])
        guard case let .special(dispensed) = try #require(Scale.socle2015.mark(for: "DI")) else {
            Issue.record("DI should be a special code")
            return
        }
        #expect(dispensed.meaning == .dispensed)
        #expect(dispensed.officialValue == "0")
    }

    @Test("LSL Pro and LPC scales")
    func lslAndLpc() {
        #expect(Scale.lslPro.levels.map(\.code) == ["1", "2", "3", "4"])
        #expect(Scale.lslPro.acquisitionThreshold == 2)
        #expect(Scale.lpc.levels.map(\.code) == ["NV", "V"])
        #expect(Scale.lpc.acquisitionThreshold == 1)
    }

    @Test("codes are looked up without regard to case; special codes are not levels")
    func markLookup() {
        #expect(Scale.socle2015.mark(for: "ms") == .level(Scale.socle2015.levels[2], rank: 2))
        #expect(Scale.benevolent.mark(for: "abs") == .special(.absent))
        #expect(Scale.benevolent.mark(for: "XYZ") == nil)
    }

    @Test("a scale whose acquired levels are not the top ones is refused")
    func nonMonotonicScale() {
        var scale = Scale.benevolent
        scale.levels[3].isAcquired = false
        #expect(scale.problems().contains { $0.contains("les plus hauts") })
    }

    @Test("duplicate codes, shared markers and bad colours are reported")
    func malformedScale() {
        var scale = Scale.benevolent
        scale.levels[1].code = "PE"
        scale.levels[2].marker = scale.levels[3].marker
        scale.levels[0].color = "orange"
        let problems = scale.problems()
        #expect(problems.contains { $0.contains("PE") && $0.contains("deux fois") })
        #expect(problems.contains { $0.contains("marqueur") })
        #expect(problems.contains { $0.contains("#RRGGBB") })
    }
}
