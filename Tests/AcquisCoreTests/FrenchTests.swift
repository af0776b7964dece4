import AcquisCore
import Testing

@Suite("French words counted")
struct FrenchTests {
    @Test("a count agrees its words: one, or several by the regular plurals of the app's words")
    func counted() {
        #expect(French.counted(1, "niveau", "recalculé") == "1 niveau recalculé")
        #expect(French.counted(270_000, "niveau", "recalculé") == "270000 niveaux recalculés")
        #expect(French.counted(3, "autre évaluation") == "3 autres évaluations")
        #expect(French.counted(2, "nœud") == "2 nœuds")
        #expect(French.counted(0, "badge", "attribué") == "0 badge attribué")
        #expect(French.counted(4, "cas") == "4 cas")
    }
}
