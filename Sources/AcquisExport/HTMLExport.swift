import AcquisReports

/// Progress files and class reports as self-contained HTML pages.
public enum HTMLExport {
    public static func progressFile(_ file: ProgressFile) -> String {
        HTMLTemplates.library.render(ProgressFileView(file), withTemplate: "progress-file")!
    }

    public static func classReport(_ report: ClassReport) -> String {
        HTMLTemplates.library.render(ClassReportView(report), withTemplate: "class-report")!
    }
}
