import CPangoCairo

/// An A4 PDF written from top to bottom through cairo and pango: text is shaped and wrapped
/// by pango (accents, ligatures, French typography), fonts are embedded as subsets by
/// cairo, and every page ends with the same footer and its number.
final class PDFWriter {
    static let width = 595.276
    static let height = 841.89
    static let margin = 42.0
    private static let footerHeight = 24.0
    private static let family = "DejaVu Sans"

    struct Color {
        var red: Double, green: Double, blue: Double

        static let black = Color(red: 0.1, green: 0.1, blue: 0.1)
        static let grey = Color(red: 0.3, green: 0.3, blue: 0.3)
        static let accent = Color(red: 0, green: 0.35, blue: 0.55)
        static let white = Color(red: 1, green: 1, blue: 1)

        /// `#RRGGBB`; black for anything else.
        init(hex: String) {
            let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
            guard digits.count == 6, let value = UInt32(digits, radix: 16) else {
                self = .black
                return
            }
            red = Double((value >> 16) & 0xFF) / 255
            green = Double((value >> 8) & 0xFF) / 255
            blue = Double(value & 0xFF) / 255
        }

        init(red: Double, green: Double, blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }
    }

    struct Cell {
        var text: String
        var fill: Color?
        var alignLeft = false
    }

    private let sink = PDFSink()
    private let surface: OpaquePointer
    private let cairo: OpaquePointer
    private let pango: OpaquePointer
    private let footer: String
    private var y = PDFWriter.margin
    private(set) var pageCount = 1

    var contentWidth: Double { Self.width - 2 * Self.margin }
    private var bottom: Double { Self.height - Self.margin - Self.footerHeight }

    init(title: String, footer: String) {
        self.footer = footer
        surface = cairo_pdf_surface_create_for_stream(pdfSinkWrite, Unmanaged.passUnretained(sink).toOpaque(),
                                                      Self.width, Self.height)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Acquis")
        cairo = cairo_create(surface)
        pango = pango_cairo_create_context(cairo)
        // Font sizes in points, as the page is measured.
        pango_cairo_context_set_resolution(pango, 72)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(pango))
        cairo_destroy(cairo)
        cairo_surface_destroy(surface)
    }

    // MARK: Blocks

    func heading(_ text: String, level: Int) {
        let size: Double = level == 1 ? 17 : level == 2 ? 13 : 11
        space(level == 1 ? 0 : 8)
        paragraph(text, size: size, bold: true, color: level == 2 ? .accent : .black, after: level == 2 ? 5 : 3)
        if level == 2 {
            cairo_set_source_rgb(cairo, 0, 0.45, 0.7)
            cairo_rectangle(cairo, Self.margin, y - 3, contentWidth, 1.2)
            cairo_fill(cairo)
            y += 2
        }
    }

    /// Wrapped text; moves to a new page first when it does not fit.
    func paragraph(_ text: String, size: Double = 9.5, bold: Bool = false, italic: Bool = false,
                   color: Color = .black, indent: Double = 0, after: Double = 3, swatch: Color? = nil) {
        let swatchWidth = swatch == nil ? 0 : size + 3
        let layout = self.layout(text, size: size, bold: bold, italic: italic, width: contentWidth - indent - swatchWidth)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let height = Self.height(of: layout)
        ensureRoom(height)
        if let swatch {
            fillRectangle(x: Self.margin + indent, y: y + 1.5, width: size, height: size, color: swatch, border: true)
        }
        draw(layout, x: Self.margin + indent + swatchWidth, y: y, color: color)
        y += height + after
    }

    /// The height `paragraph` would take with these settings, its space after included.
    func measure(_ text: String, size: Double = 9.5, bold: Bool = false, indent: Double = 0, after: Double = 3,
                 swatch: Bool = false) -> Double {
        let swatchWidth = swatch ? size + 3 : 0
        let layout = self.layout(text, size: size, bold: bold, italic: false, width: contentWidth - indent - swatchWidth)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        return Self.height(of: layout) + after
    }

    /// Starts a new page unless `height` fits on this one: a block is never split by a page break.
    func keepTogether(_ height: Double) {
        ensureRoom(height)
    }

    func space(_ points: Double) {
        y = min(y + points, bottom)
    }

    /// A table whose header row is repeated on every page it runs over.
    func table(header: [Cell], widths: [Double], rows: [[Cell]], size: Double = 8) {
        drawRow(header, widths: widths, size: size, bold: true, continuing: nil)
        for row in rows {
            drawRow(row, widths: widths, size: size, bold: false, continuing: header)
        }
        y += 6
    }

    /// The document's bytes; the writer is spent afterwards.
    func finish() -> [UInt8] {
        drawFooter()
        cairo_surface_finish(surface)
        return sink.bytes
    }

    // MARK: Drawing

    private func drawRow(_ cells: [Cell], widths: [Double], size: Double, bold: Bool, continuing header: [Cell]?) {
        let padding = 2.5
        let layouts = zip(cells, widths).map { cell, width in
            self.layout(cell.text, size: size, bold: bold, italic: false, width: width - 2 * padding,
                        centered: !cell.alignLeft)
        }
        defer { layouts.forEach { g_object_unref(UnsafeMutableRawPointer($0)) } }
        let height = (layouts.map(Self.height).max() ?? 0) + 2 * padding
        if y + height > bottom {
            newPage()
            if let header { drawRow(header, widths: widths, size: size, bold: true, continuing: nil) }
        }
        var x = Self.margin
        for ((cell, width), layout) in zip(zip(cells, widths), layouts) {
            fillRectangle(x: x, y: y, width: width, height: height, color: cell.fill ?? .white, border: true)
            draw(layout, x: x + padding, y: y + padding, color: .black)
            x += width
        }
        y += height
    }

    /// Starts a new page, unless the current one is still empty.
    func pageBreak() {
        if y > Self.margin { newPage() }
    }

    private func ensureRoom(_ height: Double) {
        if y + height > bottom && y > Self.margin { newPage() }
    }

    private func newPage() {
        drawFooter()
        cairo_show_page(cairo)
        pageCount += 1
        y = Self.margin
    }

    private func drawFooter() {
        let layout = self.layout("\(footer) · page \(pageCount)", size: 7.5, bold: false, italic: false, width: contentWidth)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        draw(layout, x: Self.margin, y: Self.height - Self.margin - Self.height(of: layout) + 6, color: .grey)
    }

    private func fillRectangle(x: Double, y: Double, width: Double, height: Double, color: Color, border: Bool) {
        cairo_rectangle(cairo, x, y, width, height)
        cairo_set_source_rgb(cairo, color.red, color.green, color.blue)
        if border {
            cairo_fill_preserve(cairo)
            cairo_set_source_rgb(cairo, 0.45, 0.45, 0.45)
            cairo_set_line_width(cairo, 0.5)
            cairo_stroke(cairo)
        } else {
            cairo_fill(cairo)
        }
    }

    private func draw(_ layout: OpaquePointer, x: Double, y: Double, color: Color) {
        cairo_set_source_rgb(cairo, color.red, color.green, color.blue)
        cairo_move_to(cairo, x, y)
        pango_cairo_show_layout(cairo, layout)
    }

    private func layout(_ text: String, size: Double, bold: Bool, italic: Bool, width: Double,
                        centered: Bool = false) -> OpaquePointer {
        let layout = pango_layout_new(pango)!
        let font = pango_font_description_new()
        pango_font_description_set_family(font, Self.family)
        pango_font_description_set_size(font, Int32(size * Double(PANGO_SCALE)))
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(font, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        if centered { pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER) }
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    private static func height(of layout: OpaquePointer) -> Double {
        var width: Int32 = 0
        var height: Int32 = 0
        pango_layout_get_size(layout, &width, &height)
        return Double(height) / Double(PANGO_SCALE)
    }
}

/// Collects what cairo writes; reached from the C callback through its context pointer.
private final class PDFSink {
    var bytes: [UInt8] = []
}

/// cairo's write callback: a C function pointer, so it captures nothing and finds its sink
/// through the context pointer.
private func pdfSinkWrite(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?,
                          _ length: UInt32) -> cairo_status_t {
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue().bytes
        .append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}
