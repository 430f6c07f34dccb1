import Plot

/// A line over the reporting dates (and now, last): the count at each; a hidden count breaks the line and is marked
/// on the axis as hidden.
struct TrendChart: Sendable {
    let id: String
    let title: String
    /// The points in date order: the axis label and the count.
    let points: [ChartBar]
    let text: DashboardText

    private let width = 640.0
    private let height = 240.0
    private let left = 70.0
    private let right = 610.0
    private let top = 20.0
    private let bottom = 190.0

    var node: SVG.Node {
        let largest = Double(max(1, points.compactMap(\.figure.value).max() ?? 1))
        let step = points.count > 1 ? (right - left) / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { points.count > 1 ? left + Double(index) * step : (left + right) / 2 }
        func y(_ value: Int) -> Double { bottom - (bottom - top) * Double(value) / largest }

        var children: [SVG.Node] = [
            SVG.line(x1: left, y1: bottom, x2: right, y2: bottom, className: "axis"),
            SVG.line(x1: left, y1: top, x2: left, y2: bottom, className: "axis"),
            SVG.text("0", x: left - 8, y: bottom + 5, className: "value", anchor: "end"),
            SVG.text(text.format(Int(largest)), x: left - 8, y: top + 5, className: "value", anchor: "end"),
        ]
        var run: [(x: Double, y: Double)] = []
        func endRun() {
            if run.count > 1 { children.append(SVG.polyline(run, className: "trend")) }
            run = []
        }
        for (index, point) in points.enumerated() {
            children.append(
                SVG.text(point.label, x: x(index), y: bottom + 22, className: "label small", anchor: "middle"))
            guard let value = point.figure.value else {
                endRun()
                children.append(
                    SVG.text(
                        point.figure.text(text), x: x(index), y: bottom - 8, className: "value suppressed",
                        anchor: "middle"))
                continue
            }
            run.append((x(index), y(value)))
        }
        endRun()
        for (index, point) in points.enumerated() {
            guard let value = point.figure.value else { continue }
            children.append(
                SVG.circle(
                    x: x(index), y: y(value), radius: 5, className: "point",
                    title: "\(point.label): \(text.format(value))"))
        }
        let summary = text.chartSummary(title, points.map { "\($0.label) \($0.figure.text(text))" })
        return SVG.svg(id: id, width: Int(width), height: Int(height), label: summary, children)
    }
}
