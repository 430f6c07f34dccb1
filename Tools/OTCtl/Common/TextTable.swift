/// A plain-text table for a terminal: a header row, rows of cells, columns padded to their widest cell; the first
/// column left-aligned, the others right-aligned (they hold numbers).
struct TextTable {
    /// The header cells.
    var header: [String]
    /// The rows, each with as many cells as the header.
    var rows: [[String]] = []
    /// Indexes of rows after which a rule is drawn (before a total row, say).
    var rulesAfter: Set<Int> = []

    /// The table as lines of text.
    func render() -> String {
        let columns = header.count
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.prefix(columns).enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.prefix(columns).enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 2 * (columns - 1))
        var lines = [line(header), rule]
        for (index, row) in rows.enumerated() {
            lines.append(line(row))
            if rulesAfter.contains(index) { lines.append(rule) }
        }
        return lines.joined(separator: "\n")
    }
}
