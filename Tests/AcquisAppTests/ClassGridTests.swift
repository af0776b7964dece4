import AcquisApp
import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import Testing

@Suite("A class's grid")
struct ClassGridTests {
    typealias F = AppFixture

    @Test("each cell shows its student's current level on its competency, and only there", arguments: Engine.all)
    func cellsShowEachLevel(engine: Engine) async throws {
        let school = try await F(engine)
        let yanis = StudentReference.ine("9000000002B")
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        _ = try await school.app.evaluations.record(F.entry("EC", on: 8, competency: "B1.2"), by: F.console)
        _ = try await school.app.evaluations.record(F.entry("PE", on: 9, competency: "B1.2", student: yanis), by: F.console)
        let (grid, _) = try await school.app.classes.grid("2CAP", referential: "CAP-EPC", group: nil, by: school.person("prof"))
        var levels: [String: String] = [:]
        for row in grid.rows {
            for cell in row.cells {
                if let level = cell.level { levels["\(row.student.student.firstName) \(cell.code)"] = level.code }
            }
        }
        #expect(levels == ["Léa B1.1": "A", "Léa B1.2": "EC", "Yanis B1.2": "PE"])
        #expect(grid.rows.map(\.student.student.firstName) == ["Yanis", "Léa"], "in the order of names: BENALI, MARTIN")
    }
}
