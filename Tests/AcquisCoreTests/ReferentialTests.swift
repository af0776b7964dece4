import AcquisCore
import Testing

@Suite("Referentials")
struct ReferentialTests {
    static let sample = Referential(
        code: "CAP-EPC", version: "2019", title: "CAP Équipier polyvalent du commerce", kind: .diplome,
        scaleCode: "acquis-4",
        children: [
            ReferentialNode(kind: .block, code: "B1", title: "Recevoir et suivre les commandes",
                            externalCodes: [ExternalCode(system: .rncp, value: "RNCP34947BC01", reliability: .unverified)],
                            children: [
                                ReferentialNode(kind: .competency, code: "B1.1", title: "Réceptionner"),
                                ReferentialNode(kind: .competency, code: "B1.2", title: "Stocker"),
                            ]),
        ])

    @Test("competencies and items are evaluable by default, blocks and domains are not")
    func evaluableDefaults() {
        #expect(Self.sample.evaluableNodes.map(\.code) == ["B1.1", "B1.2"])
        #expect(ReferentialNode(kind: .domain, code: "D", title: "D", isEvaluable: true).isEvaluable)
    }

    @Test("entries list parents before children with their ancestors")
    func entries() {
        let entries = Self.sample.entries
        #expect(entries.map(\.node.code) == ["B1", "B1.1", "B1.2"])
        #expect(entries[1].ancestorCodes == ["B1"])
        #expect(Self.sample.node(code: "B1")?.externalCode(.rncp)?.value == "RNCP34947BC01")
    }

    @Test("a well-formed referential has no problems")
    func noProblems() {
        #expect(Self.sample.problems().isEmpty)
    }

    @Test("duplicate codes are reported with the code")
    func duplicateCodes() {
        var referential = Self.sample
        referential.children[0].children[1].code = "B1.1"
        #expect(referential.problems() == [ReferentialProblem(
            nodeCode: "B1.1", message: "ce code est utilisé par plusieurs nœuds ; chaque code doit être unique dans un référentiel")])
    }

    @Test("a referential with nothing to evaluate is refused")
    func nothingEvaluable() {
        var referential = Self.sample
        referential.children[0].children = []
        #expect(referential.problems().contains { $0.message.contains("aucun nœud n’est évaluable") })
    }

    @Test("an unknown scale is refused unless embedded")
    func unknownScale() {
        var referential = Self.sample
        referential.scaleCode = "ccf"
        #expect(referential.problems().contains { $0.message.contains("échelle inconnue ccf") })
        var embedded = Scale.benevolent
        embedded.code = "ccf"
        referential.embeddedScale = embedded
        #expect(referential.problems().isEmpty)
        #expect(referential.scale == embedded)
    }

    @Test("validity must not end before it starts")
    func validity() throws {
        var referential = Self.sample
        referential.validity = Validity(from: CalendarDate(iso: "2020-09-01"), until: CalendarDate(iso: "2019-08-31"))
        #expect(referential.problems().count == 1)
        let inside = try #require(CalendarDate(iso: "2021-01-15"))
        #expect(Validity(from: CalendarDate(iso: "2020-09-01")).contains(inside))
    }
}

@Suite("Calendar dates and versions")
struct CalendarDateTests {
    @Test("ISO and French forms read the same day")
    func parsing() {
        #expect(CalendarDate(iso: "2019-10-29") == CalendarDate(french: "29/10/2019"))
        #expect(CalendarDate(iso: "2019-10-29")?.french == "29/10/2019")
        #expect(CalendarDate(french: "01/02/2024")?.iso == "2024-02-01")
    }

    @Test("impossible days are refused", arguments: ["2023-02-29", "2024-13-01", "2024-1-1", "yesterday", "2024-00-10"])
    func invalid(text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test("leap days exist in leap years only")
    func leapDays() {
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "1900-02-29") == nil)
        #expect(CalendarDate(iso: "2000-02-29") != nil)
    }

    @Test("versions are ordered as people read them")
    func versionOrder() {
        #expect(VersionOrder.precedes("2", "10"))
        #expect(VersionOrder.precedes("1.2", "1.10"))
        #expect(VersionOrder.precedes("2019", "2023-12-19"))
        #expect(VersionOrder.precedes("2019-10-29", "2023-12-19"))
        #expect(!VersionOrder.precedes("2023", "2019"))
        #expect(VersionOrder.precedes("1", "1.1"))
    }
}

@Suite("School calendar")
struct SchoolCalendarTests {
    @Test("day numbers count days and come back to the same date")
    func dayNumbers() throws {
        let epoch = try #require(CalendarDate(iso: "1970-01-01"))
        #expect(epoch.dayNumber == 0)
        let leap = try #require(CalendarDate(iso: "2028-02-28"))
        #expect(leap.adding(days: 1).iso == "2028-02-29")
        #expect(leap.adding(days: 2).iso == "2028-03-01")
        for text in ["1999-12-31", "2000-02-29", "2026-11-22", "1900-03-01"] {
            let date = try #require(CalendarDate(iso: text))
            #expect(CalendarDate(dayNumber: date.dayNumber) == date)
        }
    }

    @Test("a school year runs from September to August and is named by both years")
    func schoolYears() throws {
        #expect(SchoolYear(containing: try #require(CalendarDate(iso: "2026-09-01"))) == SchoolYear(startYear: 2026))
        #expect(SchoolYear(containing: try #require(CalendarDate(iso: "2027-08-31"))) == SchoolYear(startYear: 2026))
        #expect(SchoolYear("2026-2027") == SchoolYear("2026"))
        #expect(SchoolYear("2026-2028") == nil)
        #expect(SchoolYear(startYear: 2026).description == "2026-2027")
    }

    @Test("an INE has 11 digits or capital letters")
    func ine() {
        #expect(Student.isPlausibleINE("1234567890A"))
        #expect(!Student.isPlausibleINE("1234567890"))
        #expect(!Student.isPlausibleINE("1234567890a"))
    }
}

@Suite("French order of names")
struct FrenchCollationTests {
    @Test("accents, case and apostrophes do not decide: ÉCHARD among the E, SAÏDI before SANTOS, NASRI before N’DIAYE")
    func classList() {
        let names = ["ZOLA", "ÉCHARD", "SANTOS", "SAÏDI", "N'DIAYE", "NASRI", "Dupont", "DUPONT-MOREAU", "ŒUVRAY", "ODIN", "LE GALL", "LEFÈVRE"]
        #expect(names.sorted(by: FrenchCollation.precedes)
            == ["Dupont", "DUPONT-MOREAU", "ÉCHARD", "LEFÈVRE", "LE GALL", "NASRI", "N'DIAYE", "ODIN", "ŒUVRAY", "SAÏDI", "SANTOS", "ZOLA"])
    }

    @Test("a name written with a combining accent sorts with the same name precomposed; the order is total")
    func equalNames() {
        #expect(FrenchCollation.compare("E\u{301}CHARD", "ÉCHARD") == .orderedSame)
        #expect(FrenchCollation.compare("ECHARD", "ÉCHARD") == .orderedAscending)
        #expect(FrenchCollation.compare("ÉCHARD", "ECHARD") == .orderedDescending)
    }

    @Test("a search finds every word in any order, ignoring accents, case, hyphens and apostrophes; an empty search finds nothing")
    func search() {
        #expect(FrenchCollation.contains("Bac pro Métiers de l’accueil", "metiers de l'ACCUEIL"))
        #expect(FrenchCollation.contains("CAP Équipier polyvalent du commerce", "equipier"))
        #expect(FrenchCollation.contains("Vente-Conseil", "conseil vente"))
        #expect(FrenchCollation.contains("Vente-Conseil", "conseil+vente"), "a space as a form sends it in an address")
        #expect(FrenchCollation.contains("Titre n°7 – Conseiller de vente", "conseiller n°7"))
        #expect(!FrenchCollation.contains("Titre n°17 – Conseiller de vente", "conseiller n°7"))
        #expect(!FrenchCollation.contains("Vente-Conseil", "vente accueil"), "every word must be found")
        #expect(FrenchCollation.contains("RNCP38565", "38565"))
        #expect(FrenchCollation.contains("Œuvre", "oe"))
        #expect(!FrenchCollation.contains("Vente", "ventes"))
        #expect(!FrenchCollation.contains("Vente", ""))
        #expect(!FrenchCollation.contains("Vente", " - ’"))
    }
}

@Suite("French words")
struct FrenchWordsTests {
    @Test("« de » is elided before a vowel or a mute h; a sentence ends with one full stop")
    func elisionAndSentences() {
        #expect(French.of("ACC-MAG") == "d’ACC-MAG")
        #expect(French.of("CAP-EPC") == "de CAP-EPC")
        #expect(French.of("HG-EMC") == "d’HG-EMC")
        #expect(French.sentence("Attribué par erreur") == "Attribué par erreur.")
        #expect(French.sentence("Déjà fini. ") == "Déjà fini.")
    }
}

@Suite("Version lineage")
struct VersionLineageTests {
    static func referential(_ version: String, _ codes: [String]) -> Referential {
        Referential(code: "CAP-EPC", version: version, title: "CAP", kind: .diplome, scaleCode: "acquis-4", children: [
            ReferentialNode(kind: .block, code: "B1", title: "Bloc", children: codes.map {
                ReferentialNode(kind: .competency, code: $0, title: "Compétence \($0)")
            }),
        ])
    }

    @Test("codes kept carry over; codes a correspondence names follow it; the others are unaccounted")
    func links() {
        let earlier = Self.referential("2019", ["C1", "C2", "C3", "C4", "C5"])
        let later = Self.referential("2025", ["C1", "C2", "C6", "C7", "C8"])
        let correspondence = Correspondence(referentialCode: "CAP-EPC", fromVersion: "2019", toVersion: "2025", changes: [
            .renamed(from: "C3", to: "C6"), .split(from: "C2", into: ["C2", "C7"]), .removed("C4"),
        ])
        let lineage = VersionLineage(from: earlier, to: later, correspondence: correspondence)
        #expect(lineage.problems.isEmpty)
        #expect(Set(lineage.links) == [
            CompetencyLink(code: "C1", earlierCode: "C1", relation: .sameCode),
            CompetencyLink(code: "C6", earlierCode: "C3", relation: .renamed),
            CompetencyLink(code: "C2", earlierCode: "C2", relation: .split),
            CompetencyLink(code: "C7", earlierCode: "C2", relation: .split),
        ])
        #expect(lineage.removed == ["C4"])
        #expect(lineage.unaccounted == ["C5"])
    }

    @Test("a code renamed away and then reused names a new competency: the old evidence does not follow the code")
    func reusedCode() {
        let lineage = VersionLineage(
            from: Self.referential("2019", ["C1", "C2"]), to: Self.referential("2025", ["C1", "C2", "C3"]),
            correspondence: Correspondence(referentialCode: "CAP-EPC", fromVersion: "2019", toVersion: "2025",
                                           changes: [.renamed(from: "C2", to: "C3")]))
        #expect(lineage.links.contains(CompetencyLink(code: "C3", earlierCode: "C2", relation: .renamed)))
        #expect(!lineage.links.contains { $0.code == "C2" })
    }

    @Test("a correspondence for another referential or other versions is refused")
    func wrongReferentialOrVersion() {
        let lineage = VersionLineage(
            from: Self.referential("2019", ["C1"]), to: Self.referential("2025", ["C1"]),
            correspondence: Correspondence(referentialCode: "BACPRO-MCV", fromVersion: "2017", toVersion: "2026", changes: []))
        #expect(lineage.problems.map(\.message) == [
            "la correspondance porte sur BACPRO-MCV, pas sur CAP-EPC",
            "la correspondance part de la version 2017, mais la version précédente de CAP-EPC est la version 2019",
            "la correspondance mène à la version 2026, mais le référentiel importé est la version 2025",
        ])
    }
}
