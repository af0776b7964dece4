import AcquisCore

extension Fixtures {
    /// An RNCP-like referential of two competencies, RNCP4000`number`, as a national export
    /// brings thousands: what an académie's database holds beside a school's few.
    public static func nationalReferential(_ number: Int) -> Referential {
        Referential(code: "RNCP\(40000 + number)", version: "1", title: "Titre professionnel n°\(number) – Conseiller de vente",
                    kind: .diplome, scaleCode: "acquis-4", children: [
                        ReferentialNode(kind: .block, code: "BC01", title: "Accueillir", children: [
                            ReferentialNode(kind: .competency, code: "C1", title: "Accueillir le client"),
                            ReferentialNode(kind: .competency, code: "C2", title: "Conseiller le client"),
                        ]),
                    ])
    }
}
