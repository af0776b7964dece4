/// A student's legal guardian, as SIECLE lists them: the least Acquis needs to make their
/// account and greet them — no address, telephone or e-mail.
public struct Guardian: Hashable, Sendable {
    /// SIECLE's `PERSONNE_ID`: the same person from one year's file to the next.
    public var personID: String
    /// `M.` or `Mme`, when the file says.
    public var civility: String?
    public var lastName: String
    public var firstName: String
    /// The school's ids (`ELEVE_ID`) of the children they are legally responsible for.
    public var children: [String]

    public init(personID: String, civility: String? = nil, lastName: String, firstName: String, children: [String]) {
        self.personID = personID
        self.civility = civility
        self.lastName = lastName
        self.firstName = firstName
        self.children = children
    }

    /// « Mme Inès DURAND », as letters greet them.
    public var displayName: String {
        ([civility, firstName, lastName.uppercased()].compactMap { $0 }.filter { !$0.isEmpty }).joined(separator: " ")
    }
}

/// The legal guardians of a school's students, read from SIECLE `ResponsablesAvecAdresses.xml`.
public struct GuardianRoster: Hashable, Sendable {
    public var uai: String?
    public var schoolYear: SchoolYear?
    public var guardians: [Guardian]
    /// People of the file who are contacts or « personnes en charge » only: not imported.
    public var notLegal: Int

    public init(uai: String? = nil, schoolYear: SchoolYear? = nil, guardians: [Guardian] = [], notLegal: Int = 0) {
        self.uai = uai
        self.schoolYear = schoolYear
        self.guardians = guardians
        self.notLegal = notLegal
    }
}
