import AcquisCore
import Testing

@Suite("Markup escaping")
struct MarkupTests {
    @Test("HTML text and attributes: the five markup characters become entities, the same as the page templates wrote before")
    func html() {
        #expect(Markup.escaped(#"<b class="x">l'été & co</b>"#) == "&lt;b class=&quot;x&quot;&gt;l&#39;été &amp; co&lt;/b&gt;")
    }

    @Test("XML text keeps quotes, XML attributes escape the double quote only")
    func xml() {
        #expect(Markup.escaped(#"a < b & "c" 'd' > e"#, .xmlText) == #"a &lt; b &amp; "c" 'd' &gt; e"#)
        #expect(Markup.escaped(#"a < b & "c" 'd'"#, .xmlAttribute) == "a &lt; b &amp; &quot;c&quot; 'd'")
    }

    @Test("letters outside ASCII, emoji and empty text pass through unchanged")
    func unchanged() {
        for text in ["", "Zoë Nguyễn-Đặng", "très bien 👍", "œuvre « ici »"] {
            #expect(Markup.escaped(text) == text)
        }
        var bytes: [UInt8] = []
        Markup.append("Élise <3", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "Élise &lt;3")
    }
}
