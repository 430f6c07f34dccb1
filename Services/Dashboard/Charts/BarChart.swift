import Plot

/// Horizontal bars, one per category, scaled to the largest published count; a hidden count has no bar and says so.
struct BarChart: Sendable {
    let id: String
    let title: String
    let bars: [ChartBar]
    let text: DashboardText

    private let width = 640.0
    private let labelWidth = 300.0
    private let rowHeight = 30.0

    var node: SVG.Node {
        let largest = Double(max(1, bars.compactMap(\.figure.value).max() ?? 1))
        let barArea = width - labelWidth - 70
        var children: [SVG.Node] = []
        for (index, bar) in bars.enumerated() {
            let top = Double(index) * rowHeight + 4
            children.append(SVG.text(bar.label, x: 0, y: top + 18, className: "label"))
            switch bar.figure {
            case .count(let value):
                let length = max(value > 0 ? 2 : 0, barArea * Double(value) / largest)
                children.append(
                    SVG.rect(
                        x: labelWidth, y: top + 3, width: length, height: 20, className: "bar \(bar.colour)",
                        title: "\(bar.label): \(text.format(value))"))
                children.append(
                    SVG.text(text.format(value), x: labelWidth + length + 6, y: top + 18, className: "value"))
            case .suppressed, .absent:
                children.append(
                    SVG.text(bar.figure.text(text), x: labelWidth + 4, y: top + 18, className: "value suppressed"))
            }
        }
        let summary = text.chartSummary(title, bars.map { "\($0.label) \($0.figure.text(text))" })
        return SVG.svg(
            id: id, width: Int(width), height: Int(Double(bars.count) * rowHeight + 8), label: summary, children)
    }
}
