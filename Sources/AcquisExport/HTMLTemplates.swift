import Mustache

/// The HTML exports: self-contained pages (styles inline, no script, no remote resource) that
/// print on A4. Colour always comes with a marker and a word, never alone.
enum HTMLTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are constants of this file: a parse error is a bug caught by any test.
        library.register(try! MarkupTemplates.template(style), named: "style")
        library.register(try! MarkupTemplates.template(head), named: "head")
        library.register(try! MarkupTemplates.template(foot), named: "foot")
        library.register(try! MarkupTemplates.template(progressFile), named: "progress-file")
        library.register(try! MarkupTemplates.template(classReport), named: "class-report")
        return library
    }()

    static let style = """
        <style>
        @page { size: A4; margin: 15mm; }
        body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #1a1a1a; margin: 2em auto; max-width: 60em; line-height: 1.4; }
        header, footer { color: #444; font-size: .9em; }
        h1 { font-size: 1.6em; margin-bottom: .2em; }
        h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; margin-top: 1.6em; }
        h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
        .summary { font-weight: bold; }
        ul.rows { list-style: none; padding: 0; }
        .row { border-left: 6px solid #ccc; padding: .3em .6em; margin: .4em 0; page-break-inside: avoid; }
        .level { font-weight: bold; }
        .swatch { display: inline-block; width: .9em; height: .9em; border: 1px solid #333; vertical-align: middle; margin-right: .3em; }
        .detail { font-size: .9em; color: #333; margin: .1em 0; }
        .change { color: #005a8c; }
        table { border-collapse: collapse; font-size: .85em; }
        .scroll { overflow-x: auto; }
        th, td { border: 1px solid #999; padding: .2em .4em; text-align: center; }
        th.name, td.name { text-align: left; }
        .legend span { margin-right: 1.2em; }
        </style>
        """

    /// The start of every page, up to `<body>`; partials render in the page's context, so
    /// `title` is the page's own.
    static let head = """
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        {{> style}}
        </head>
        <body>
        """

    /// The end of every page, after `</main>`: when it was generated and against which versions.
    static let foot = """
        <footer><p>{{generated}} · {{versions}}</p></footer>
        </body>
        </html>
        """

    static let progressFile = """
        {{> head}}
        <header>
        <p>{{school}}{{#division}} · {{.}}{{/division}}</p>
        <p>{{period}} · {{asOf}}</p>
        </header>
        <main>
        <h1>{{title}}</h1>
        {{#sections}}
        <section>
        <h2>{{title}}</h2>
        <p class="detail">{{subtitle}}</p>
        <p class="summary">{{summary}}</p>
        <p class="detail">{{legend}}</p>
        <ul class="rows">
        {{{rowsHTML}}}</ul>
        </section>
        {{/sections}}
        <section>
        <h2>{{badgesTitle}}</h2>
        {{#hasBadges}}<ul>
        {{#badges}}<li><strong>{{name}}</strong> — {{detail}}{{#url}} · <a href="{{.}}">vérifier ce badge</a>{{/url}}</li>
        {{/badges}}</ul>{{/hasBadges}}
        {{^hasBadges}}<p>Pas encore de badge sur la période : chaque compétence acquise en rapproche.</p>{{/hasBadges}}
        </section>
        {{#studentWords}}
        <section>
        <h2>{{title}}</h2>
        <p><strong>{{proudLabel}} :</strong> {{proud}}</p>
        <p><strong>{{toWorkLabel}} :</strong> {{toWork}}</p>
        </section>
        {{/studentWords}}
        {{#synthesis}}
        <section>
        <h2>Synthèse de l’équipe</h2>
        <p>{{text}}</p>
        <p class="detail">{{signature}}</p>
        </section>
        {{/synthesis}}
        <section>
        <h2>{{goalsTitle}}</h2>
        <ul>{{#goals}}<li>{{.}}</li>{{/goals}}</ul>
        {{#goalsNote}}<p class="detail">{{.}}</p>{{/goalsNote}}
        </section>
        {{#seenByFamily}}<p class="detail">{{.}}</p>{{/seenByFamily}}
        </main>
        {{> foot}}

        """

    static let classReport = """
        {{> head}}
        <header>
        <p>{{school}}</p>
        <p>{{period}} · {{asOf}}</p>
        </header>
        <main>
        <h1>{{title}}</h1>
        <p class="detail">{{referential}}</p>
        <p class="legend">Légende : {{#legend}}<span><span class="swatch" style="background: {{color}}" aria-hidden="true"></span>{{marker}} {{label}}</span>{{/legend}}<span>· pas encore observé</span>{{#hasRolledUp}}<span>* déduit des objectifs</span>{{/hasRolledUp}}</p>
        <div class="scroll" tabindex="0" role="region" aria-label="Niveau de chaque élève">
        <table>
        <caption>Niveau de chaque élève, compétence par compétence</caption>
        <thead><tr><th class="name" scope="col">Élève</th>{{#columns}}<th scope="col" title="{{title}}">{{code}}</th>{{/columns}}<th scope="col">Acquises</th></tr></thead>
        <tbody>
        {{#students}}<tr><th class="name" scope="row">{{name}}</th>{{#cells}}<td style="background: {{background}}" title="{{label}}">{{text}}</td>{{/cells}}<td>{{acquired}}</td></tr>
        {{/students}}
        </tbody>
        </table>
        </div>
        <h2>Répartition par compétence</h2>
        <div class="scroll" tabindex="0" role="region" aria-label="Répartition par compétence">
        <table>
        <thead><tr><th class="name" scope="col">Compétence</th>{{#legend}}<th scope="col">{{marker}} {{label}}</th>{{/legend}}<th scope="col">Pas encore observé</th></tr></thead>
        <tbody>
        {{#distribution}}<tr><th class="name" scope="row">{{code}} — {{title}}</th>{{#counts}}<td>{{.}}</td>{{/counts}}<td>{{none}}</td></tr>
        {{/distribution}}
        </tbody>
        </table>
        </div>
        <h2>Élèves qui ont progressé sur la période</h2>
        {{#hasProgressed}}<ul>{{#progressed}}<li>{{.}}</li>{{/progressed}}</ul>{{/hasProgressed}}
        {{^hasProgressed}}<p>Pas encore de progrès enregistré sur la période.</p>{{/hasProgressed}}
        <h2>{{quietTitle}}</h2>
        {{#hasQuiet}}<ul>{{#quiet}}<li>{{.}}</li>{{/quiet}}</ul>{{/hasQuiet}}
        {{^hasQuiet}}<p>Chaque élève a au moins une observation récente.</p>{{/hasQuiet}}
        {{#hasLeavers}}<h2>Ont quitté la classe</h2>
        <p>Leur parcours et leurs badges restent enregistrés.</p>
        <ul>{{#leavers}}<li>{{.}}</li>{{/leavers}}</ul>{{/hasLeavers}}
        </main>
        {{> foot}}

        """
}
