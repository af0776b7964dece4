import AcquisCore

/// The official LSU import schema (`import-bilan-complet.xsd`, shipped unmodified), to check
/// an export before it leaves Acquis: the LSU platform refuses a whole file for one error.
public enum LSUSchema {
    /// Every problem of `xml` against the schema, with its line and field; empty when valid.
    public static func validate(_ xml: String, name: String = "lsu.xml") throws(InvalidInput) -> [Diagnostic] {
        let reader = try XMLStreamReader(bytes: Array(xml.utf8), name: name, schema: .lsu)
        while reader.read() {}
        return reader.sink.report
    }
}
