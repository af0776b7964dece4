import AcquisCore
import AcquisReports

/// What a sign-in letter says to one person: who they are, how to sign in the first time.
public struct SignInLetter: Sendable {
    /// Whom the letter speaks to, which sets its voice: a student is addressed as « tu ».
    public enum Reader: Sendable {
        case student, family, staff
    }

    public var reader: Reader
    public var name: String
    /// The class of a student, the classes of a teacher; empty when none.
    public var detail: String
    public var login: String
    public var code: String
    public var validUntil: CalendarDate

    public init(reader: Reader, name: String, detail: String, login: String, code: String, validUntil: CalendarDate) {
        self.reader = reader
        self.name = name
        self.detail = detail
        self.login = login
        self.code = code
        self.validUntil = validUntil
    }
}

extension PDFExport {
    /// One A4 page per person, to print and hand out: the school, the address to open, the
    /// login, the one-time code and until when it is valid, in words for its reader.
    public static func signInLetters(_ letters: [SignInLetter], school: String, activationURL: String) -> (bytes: [UInt8], pages: Int) {
        let pdf = PDFWriter(title: "Comptes Acquis — \(school)", footer: "Acquis · \(school)")
        for letter in letters {
            pdf.pageBreak()
            let you = letter.reader == .student
            pdf.paragraph(school, size: 9, color: .grey, after: 1)
            if !letter.detail.isEmpty { pdf.paragraph(letter.detail, size: 9, color: .grey, after: 14) }
            pdf.heading(you ? "Ton compte Acquis" : "Votre compte Acquis", level: 1)
            pdf.paragraph("Bonjour \(letter.name),", after: 6)
            pdf.paragraph(introduction(for: letter.reader), after: 12)
            pdf.heading(you ? "Pour te connecter la première fois" : "Pour vous connecter la première fois", level: 2)
            pdf.paragraph("1. Ouvre\(you ? "" : "z") l’adresse : \(activationURL)", after: 4)
            pdf.paragraph("2. Identifiant : \(letter.login)", bold: true, after: 4)
            pdf.paragraph("3. Code d’activation : \(letter.code)", bold: true, after: 4)
            pdf.paragraph("4. Choisi\(you ? "s" : "ssez") \(you ? "ton" : "votre") mot de passe : 10 caractères au moins, "
                          + (you ? "que tu gardes pour toi." : "que vous gardez pour vous."), after: 12)
            pdf.paragraph("Le code sert une seule fois et reste valable jusqu’au \(letter.validUntil.french) inclus. "
                          + (you ? "Garde cette lettre pour toi. Si tu la perds, ou si le code a expiré, demande un nouveau code à la vie scolaire."
                                 : "Gardez cette lettre pour vous. Si vous la perdez, ou si le code a expiré, demandez un nouveau code à l’établissement."),
                          size: 9, color: .grey)
        }
        let pages = pdf.pageCount
        return (pdf.finish(), pages)
    }

    static func introduction(for reader: SignInLetter.Reader) -> String {
        switch reader {
        case .student:
            "Dans Acquis, tu vois ce que tu sais faire, compétence par compétence, les badges que tu as obtenus, "
                + "et tu peux demander à être évalué·e quand tu te sens prêt·e."
        case .family:
            "Dans Acquis, vous suivez les progrès de votre enfant, compétence par compétence, ses badges et les bilans de l’équipe."
        case .staff:
            "Dans Acquis, vous enregistrez ce que vos élèves savent faire, compétence par compétence, au bureau comme en atelier "
                + "ou en entreprise, et vous suivez leurs progrès."
        }
    }
}

extension PDFExport {
    /// The end-of-PFMP attestation, on one A4 page: to hand the student and keep in their file.
    public static func attestation(_ attestation: PFMPAttestation) -> [UInt8] {
        let pdf = PDFWriter(title: "Attestation de PFMP — \(attestation.student)", footer: "Acquis · \(attestation.school)")
        pdf.paragraph(attestation.school, size: 9, color: .grey, after: 14)
        pdf.heading("Attestation de période de formation en milieu professionnel", level: 1)
        pdf.paragraph("\(attestation.school) atteste que \(attestation.student)" + (attestation.division.isEmpty ? "" : " (\(attestation.division))")
                      + " a effectué une période de formation en milieu professionnel chez \(attestation.company), du "
                      + "\(attestation.startsOn.french) au \(attestation.endsOn.french), sous la tutelle de \(attestation.tutor).", after: 10)
        pdf.heading("Compétences observées (\(attestation.referential))", level: 2)
        pdf.table(header: [PDFWriter.Cell(text: "Compétence", alignLeft: true), PDFWriter.Cell(text: "Observé par le tuteur", alignLeft: true)],
                  widths: [330, 165],
                  rows: attestation.lines.map {
                      [PDFWriter.Cell(text: "\($0.code) – \($0.title)", alignLeft: true), PDFWriter.Cell(text: $0.observed ?? "pas observée", alignLeft: true)]
                  }, size: 9)
        pdf.space(8)
        pdf.heading("Appréciation du tuteur", level: 2)
        pdf.paragraph(attestation.appreciation ?? "Le tuteur n’a pas écrit d’appréciation.", italic: attestation.appreciation == nil, after: 14)
        pdf.paragraph("Établie le \(attestation.issuedOn.french).", size: 9, color: .grey)
        return pdf.finish()
    }
}
