import ArgumentParser

@main
struct Acquis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acquis",
        abstract: "Évaluation positive par compétences et badges numériques.",
        subcommands: [ReferentielCommand.self, ElevesCommand.self, EnseignantsCommand.self, EvalCommand.self, BilanCommand.self, DemandeCommand.self, ProductionCommand.self, PortfolioCommand.self, PFMPCommand.self,
                      IssuerCommand.self, BadgeCommand.self, ExportCommand.self, ServeCommand.self, CompteCommand.self, DemoCommand.self,
                      VigilanceCommand.self, TutoratCommand.self, GroupesCommand.self, SSOCommand.self, BaseCommand.self, AcademieCommand.self]
    )
}
