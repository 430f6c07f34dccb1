import Plot

/// One bar split into segments by share of the published counts (the status groups), with a legend; a hidden count
/// has no segment and is named in the legend as hidden.
struct StackedBar: Sendable {
    let id: String
    let title: String
    let segments: [ChartBar]
    let text: DashboardText

    private let width = 640.0

    var node: SVG.Node {
        let total = Double(segments.compactMap(\.figure.value).reduce(0, +))
        var children: [SVG.Node] = []
        var left = 0.0
        if total > 0 {
            for segment in segments {
                guard let value = segment.figure.value, value > 0 else { continue }
                let length = width * Double(value) / total
                children.append(
                    SVG.rect(
                        x: left, y: 0, width: length, height: 36, className: "bar \(segment.colour)",
                        title: "\(segment.label): \(text.format(value))"))
                left += length
            }
        } else {
            children.append(SVG.rect(x: 0, y: 0, width: width, height: 36, className: "empty", title: title))
        }
        for (index, segment) in segments.enumerated() {
            let top = 52 + Double(index) * 26
            children.append(
                SVG.rect(x: 0, y: top, width: 16, height: 16, className: "bar \(segment.colour)", title: segment.label))
            children.append(
                SVG.text(
                    "\(segment.label): \(segment.figure.text(text))", x: 24, y: top + 13,
                    className: segment.figure.value == nil ? "label suppressed" : "label"))
        }
        let summary = text.chartSummary(title, segments.map { "\($0.label) \($0.figure.text(text))" })
        return SVG.svg(id: id, width: Int(width), height: 52 + segments.count * 26, label: summary, children)
    }
}
