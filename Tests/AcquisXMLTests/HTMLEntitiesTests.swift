@testable import AcquisXML
import Testing

/// Named references are decoded before libxml2's HTML parser reads a competency list, for
/// speed: the text must be the one the parser gives when it decodes them itself.
@Suite("HTML references decoded ahead of the parser")
struct HTMLEntitiesTests {
    /// The segments of a fragment, as the parser alone gives them and with references decoded first.
    static func segments(_ html: String) -> (alone: [String], ahead: [String]) {
        var alone: [String] = [], ahead: [String] = []
        HTMLText.collect(html: html, predecoding: false) { alone.append("\($0)|\($1)") }
        HTMLText.collect(html: html, predecoding: true) { ahead.append("\($0)|\($1)") }
        return (alone, ahead)
    }

    static let fragments = [
        "<p>R&eacute;ceptionner les produits, contr&ocirc;ler la qualit&eacute;</p><p>G&eacute;rer l&rsquo;&eacute;quipe</p>",
        "<ul><li>Accueillir&nbsp;: le client</li><li><ul><li>Pr&eacute;parer&hellip;</li></ul></li></ul>",
        "<p>&amp;eacute; reste &eacute;crit, &lt;b&gt; aussi, &quot;cité&quot; et &#233;t&#xE9;</p>",
        "<p>&nbsp;</p><p> &nbsp; </p><p>&ensp;&emsp;&thinsp;</p><p>x</p>",
        "<p>&inconnu; &Eacute;t&eacute; &EACUTE; &eacute sans point-virgule &eacute</p>&",
        "<p title=\"caf&eacute;\">Caf&eacute;</p><br>Apr&egrave;s<br/>ligne",
        "<script>var a = '&eacute;';</script><p>&eacute;t&eacute;</p>",
        "<STYLE>p { content: '&eacute;' }</STYLE><p>&agrave;</p>",
        "<p><![CDATA[&eacute;]]>&eacute;</p>",
        "<textarea>&eacute;</textarea><title>&eacute;</title><p>&ccedil;a</p>",
        "<p>&longnameofentity; &amp &lt &gt;&gt;</p><p>&#x3C;p&#62;</p>",
        "BLOC 1 &ndash; <b>Vendre</b>&#13;\n* Conseiller&nbsp;; * Vendre<br>o&nbsp;Encaisser",
        "<span>&eacute;</span><strong>&Agrave;</strong><s>&oelig;</s>",
    ]

    @Test("the same segments, with the same depths, for lists written in every way")
    func sameSegments() {
        for html in Self.fragments {
            let (alone, ahead) = Self.segments(html)
            #expect(alone == ahead, "\(html)")
        }
    }

    @Test("every name of libxml2's table but those of markup decodes to the character the parser gives it")
    func everyName() {
        #expect(HTMLEntities.table.count > 240)
        #expect(HTMLEntities.table[Array("lt".utf8)] == nil && HTMLEntities.table[Array("amp".utf8)] == nil)
        for name in HTMLEntities.table.keys {
            let text = String(decoding: name, as: UTF8.self)
            let (alone, ahead) = Self.segments("<p>a&\(text);b</p>")
            #expect(alone == ahead && alone.count == 1, "&\(text);")
        }
    }

    @Test("a fragment without references, or one that must keep them, is left as it is")
    func leftAsItIs() {
        for html in ["<p>sans référence</p>", "<script>&eacute;</script>", "<p>&lt;&amp;&gt;</p>"] {
            #expect(HTMLEntities.decodingNamedReferences(in: Array(html.utf8)) == Array(html.utf8))
        }
        #expect(String(decoding: HTMLEntities.decodingNamedReferences(in: Array("<p>&eacute;t&eacute;&nbsp;!</p>".utf8)), as: UTF8.self)
                == "<p>été\u{A0}!</p>")
    }
}
