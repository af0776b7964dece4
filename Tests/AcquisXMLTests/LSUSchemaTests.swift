import AcquisXML
import Testing

@Suite("The official LSU schema")
struct LSUSchemaTests {
    static func bilan(position: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="2.0">
          <entete><editeur>Acquis</editeur><application>Acquis</application><etablissement>0579999Z</etablissement></entete>
          <donnees>
            <responsables-etab><responsable-etab id="RESP_01" libelle="Mme Fontaine"/></responsables-etab>
            <eleves><eleve id="EL_1" id-be="1" nom="MARTIN" prenom="Léa" code-division="3A"/></eleves>
            <bilans-cycle>
              <bilan-cycle eleve-ref="EL_1" cycle="4" millesime="2026" date-creation="2027-06-20" date-verrou="2027-06-20T23:59:59" responsable-etab-ref="RESP_01">
                <socle>
                  <domaine code="CPD_FRA" positionnement="\(position)"/>
                  <domaine code="CPD_ETR" positionnement="0"/>
                  <domaine code="CPD_SCI" positionnement="3"/>
                  <domaine code="CPD_ART" positionnement="4"/>
                  <domaine code="MET_APP" positionnement="1"/>
                  <domaine code="FRM_CIT" positionnement="2"/>
                  <domaine code="SYS_NAT" positionnement="3"/>
                  <domaine code="REP_MND" positionnement="4"/>
                </socle>
                <synthese>Une année de progrès réguliers.</synthese>
              </bilan-cycle>
            </bilans-cycle>
          </donnees>
        </lsun-bilans>
        """
    }

    @Test("a bilan de cycle with eight positions from 0 to 4 is valid")
    func valid() throws {
        #expect(try LSUSchema.validate(Self.bilan(position: "2")).isEmpty)
    }

    @Test("a position out of 0–4 is refused with its line and field")
    func outOfRange() throws {
        let problems = try LSUSchema.validate(Self.bilan(position: "5"), name: "bilan.xml")
        let problem = try #require(problems.first)
        #expect(problem.line == 10)
        #expect(problem.description.contains("bilan.xml:10"))
        #expect(problem.description.contains("positionnement"))
    }
}
