import AcquisCore
import AcquisReports
import Mustache

/// Progress files and class reports as self-contained HTML pages.
public enum HTMLExport {
    public static func progressFile(_ file: ProgressFile, for reader: ProgressFileReader = .student) -> String {
        HTMLTemplates.library.render(ProgressFileView(file, for: reader), withTemplate: "progress-file")!
    }

    public static func classReport(_ report: ClassReport) -> String {
        HTMLTemplates.library.render(ClassReportView(report), withTemplate: "class-report")!
    }
}

// Named lookups instead of swift-mustache's default reflection, which walks every stored
// property at each tag: a third of the time of a progress file before this.
extension ProgressFileView: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "school": school
        case "division": division
        case "period": period
        case "asOf": asOf
        case "generated": generated
        case "versions": versions
        case "sections": sections
        case "badges": badges
        case "hasBadges": hasBadges
        case "synthesis": synthesis
        case "studentWords": studentWords
        case "seenByFamily": seenByFamily
        case "goals": goals
        case "goalsNote": goalsNote
        case "badgesTitle": badgesTitle
        case "goalsTitle": goalsTitle
        default: nil
        }
    }
}

extension ProgressFileView.Section: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "subtitle": subtitle
        case "summary": summary
        case "legend": legend
        case "rows": rows
        case "rowsHTML": HTMLExport.rows(rows)
        default: nil
        }
    }
}

extension HTMLExport {
    /// A section's rows as the progress file prints them, written here rather than by the
    /// template: they are its hot loop (sixty per student, 270,000 for an académie's export),
    /// and each tag of a template costs a lookup with dynamic casts. One row a line group:
    /// a competency's colour, marker, code, title and level, then one line per detail present
    /// (an empty line where a detail is absent, as the template wrote it before).
    static func rows(_ rows: [ProgressFileView.Row]) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 600)
        for row in rows {
            if row.isGroup {
                html += "<li><h3>\(Markup.escaped(row.title))</h3><p class=\"detail\">\(Markup.escaped(row.level))"
                if !row.explanation.isEmpty { html += " — \(Markup.escaped(row.explanation))" }
                html += "</p></li>\n\n"
                continue
            }
            let color = row.color.map { Markup.escaped($0) }
            html += "\n<li class=\"row\" style=\"border-left-color: \(color ?? "#cccccc")\">\n"
            html += "<div><span class=\"swatch\" style=\"background: \(color ?? "#ffffff")\" aria-hidden=\"true\"></span>"
            html += "<span aria-hidden=\"true\">\(Markup.escaped(row.marker))</span> <strong>\(Markup.escaped(row.code)) — \(Markup.escaped(row.title))</strong></div>\n"
            html += "<div class=\"level\">\(Markup.escaped(row.level))</div>\n"
            if !row.explanation.isEmpty { html += "<p class=\"detail\">\(Markup.escaped(row.explanation))</p>" }
            html += "\n"
            if let change = row.change { html += "<p class=\"detail change\">\(Markup.escaped(change))</p>" }
            html += "\n"
            for detail in [row.selfEvaluation, row.views, row.comment] {
                if let detail { html += "<p class=\"detail\">\(Markup.escaped(detail))</p>" }
                html += "\n"
            }
            html += "</li>\n"
        }
        return html
    }
}

// A row is a page template's hot loop (sixty per student; the exported file writes its rows in
// ``HTMLExport/rows(_:)``). A value it lacks answers `false`, not nil: nil would make the
// template look for the name in every enclosing context, casting at each, and no tag inside a
// row means an enclosing value.
extension ProgressFileView.Row: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "isGroup": isGroup
        case "code": code
        case "title": title
        case "level": level
        case "marker": marker
        case "color": Self.present(color)
        // An empty reason is no reason: `{{#explanation}}` must skip it.
        case "explanation": explanation.isEmpty ? false : explanation
        case "change": Self.present(change)
        case "selfEvaluation": Self.present(selfEvaluation)
        case "views": Self.present(views)
        case "comment": Self.present(comment)
        default: nil
        }
    }

    private static func present(_ text: String?) -> Any { text ?? false }
}

extension ProgressFileView.Badge: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "detail": detail
        case "url": url
        default: nil
        }
    }
}

extension ProgressFileView.StudentWords: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "proudLabel": proudLabel
        case "proud": proud
        case "toWorkLabel": toWorkLabel
        case "toWork": toWork
        default: nil
        }
    }
}

extension ProgressFileView.Synthesis: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "signature": signature
        default: nil
        }
    }
}
