import AcquisApp
import AcquisCore
import AcquisStorage
import AcquisStorageTestSupport
import AcquisStore
import AcquisTestSupport
import Foundation
import Testing

/// Which referentials a class is offered: all of them in a school's database, only those the
/// class and its school use in an académie's (which holds every national referential), the
/// others found by searching.
@Suite("The referentials a class is offered")
struct ReferentialOfferTests {
    typealias F = AppFixture

    /// The fixture's school (five shipped referentials), with `count` national ones more.
    static func school(_ engine: Engine, national count: Int) async throws -> F {
        let school = try await F(engine)
        _ = try await school.app.referentials.publish(by: F.console) { each in
            for number in 0..<count { try each(Fixtures.nationalReferential(number), "rncp") }
        }
        return school
    }

    @Test("a school's database offers every referential, those the class follows first, then those its students use", arguments: Engine.all)
    func school(engine: Engine) async throws {
        let school = try await Self.school(engine, national: 0)
        try await school.app.classes.setFollowedReferentials("2CAP", versions: ["BACPRO-MCV": "2019"], by: school.person("direction"))
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)
        let (grid, offer) = try await school.app.classes.grid("2CAP", referential: nil, group: nil, by: school.person("prof"))
        #expect(offer.choices.map(\.code) == ["BACPRO-MCV", "CAP-EPC", "BACPRO-ACCUEIL", "LPC-PALIER3", "SOCLE-2015"])
        #expect(!offer.searchable)
        #expect(grid.target.referential.code == "BACPRO-MCV")
        #expect(try await school.app.referentials.ofSchool(by: school.person("direction")).map(\.code)
                == ["BACPRO-ACCUEIL", "BACPRO-MCV", "CAP-EPC", "LPC-PALIER3", "SOCLE-2015"])
    }

    @Test("an académie's database lists the class's and its school's referentials only; a search finds the others", arguments: Engine.all)
    func academie(engine: Engine) async throws {
        let school = try await Self.school(engine, national: ReferentialOffer.listedInFull)
        let direction = school.person("direction")
        try await school.app.classes.setFollowedReferentials("2CAP", versions: ["BACPRO-MCV": "2019"], by: direction)
        try await school.app.classes.setFollowedReferentials("1MCV", versions: ["RNCP40007": "1"], by: direction)
        _ = try await school.app.evaluations.record(F.entry("A", on: 8), by: F.console)

        let (_, offer) = try await school.app.classes.grid("2CAP", referential: nil, group: nil, by: school.person("prof"))
        #expect(offer.choices.map(\.code) == ["BACPRO-MCV", "CAP-EPC", "RNCP40007"], "followed, in use, the school's")
        #expect(offer.searchable)
        #expect(offer.found == nil)

        let (grid, found) = try await school.app.classes.grid("2CAP", referential: nil, search: "n°12 – CONSEILLER",
                                                              group: nil, by: school.person("prof"))
        #expect(found.found == ["RNCP40012"])
        #expect(grid.target.referential.code == "RNCP40012", "the grid shows what the search found")
        #expect(found.choices.map(\.code) == ["BACPRO-MCV", "CAP-EPC", "RNCP40007", "RNCP40012"])

        let (kept, asked) = try await school.app.classes.grid("2CAP", referential: "RNCP40003", search: "n°12",
                                                              group: nil, by: school.person("prof"))
        #expect(kept.target.referential.code == "RNCP40003", "a referential asked for wins over the search kept in the form")
        #expect(asked.choices.map(\.code).suffix(2) == ["RNCP40012", "RNCP40003"])

        for nothing in ["zzz", "", "   ", "../..", "<script>", String(repeating: "é", count: 10_000), "\u{0}"] {
            let (_, none) = try await school.app.classes.grid("2CAP", referential: nil, search: nothing, group: nil, by: school.person("prof"))
            #expect(none.choices.map(\.code) == ["BACPRO-MCV", "CAP-EPC", "RNCP40007"], "\(nothing.prefix(10))")
        }

        let choices = try await school.app.classes.followedReferentials("2CAP", search: "40029", by: direction)
        #expect(choices.referentials.map(\.code) == ["BACPRO-MCV", "CAP-EPC", "RNCP40007", "RNCP40029"])
        #expect(choices.referentials.first { $0.code == "BACPRO-MCV" }?.followed == "2019")
        #expect(choices.searchable && choices.found == ["RNCP40029"])

        for reader in ["prof", "direction"] {
            #expect(try await school.app.referentials.ofSchool(by: school.person(reader)).map(\.code) == ["BACPRO-MCV", "CAP-EPC", "RNCP40007"],
                    "the school's exports offer what its classes follow or its students have evidence in")
        }
        await #expect(throws: AccessRefusal.self) { try await school.app.referentials.ofSchool(by: school.person("lea")) }
    }

    @Test("a class that follows nothing in an académie's database says who chooses", arguments: Engine.all)
    func nothingOffered(engine: Engine) async throws {
        let school = try await Self.school(engine, national: ReferentialOffer.listedInFull)
        await #expect(throws: ClassGridError.nothingOffered(division: "2CAP", searchable: true)) {
            _ = try await school.app.classes.grid("2CAP", referential: nil, group: nil, by: school.person("prof"))
        }
        let (grid, _) = try await school.app.classes.grid("2CAP", referential: nil, search: "CAP-EPC", group: nil, by: school.person("prof"))
        #expect(grid.target.referential.code == "CAP-EPC")
    }

    @Test("a referential or version not stored is refused, and what the class followed stays", arguments: Engine.all)
    func unknown(engine: Engine) async throws {
        let school = try await Self.school(engine, national: 0)
        let direction = school.person("direction")
        try await school.app.classes.setFollowedReferentials("2CAP", versions: ["CAP-EPC": "2019"], by: direction)
        for versions in [["CAP-EPC": "1999"], ["BACPRO-MCV": "2019", "INCONNU": "1"], ["../x": "y"]] {
            await #expect(throws: ReferentialStoreError.self, "\(versions)") {
                try await school.app.classes.setFollowedReferentials("2CAP", versions: versions, by: direction)
            }
        }
        let followed = try await school.app.classes.followedReferentials("2CAP", by: direction).referentials
        #expect(followed.filter { $0.followed != nil }.map(\.code) == ["CAP-EPC"])
    }
}
