import Foundation
import Plot

/// SVG elements for Plot, which has none: every attribute value and text is escaped by Plot as for HTML.
enum SVG {
    typealias Node = Plot.Node<HTML.BodyContext>

    /// `<svg>` that scales to its container's width, described for assistive technology by its first `<title>`.
    static func svg(id: String, width: Int, height: Int, label: String, _ children: [Node]) -> Node {
        .element(
            named: "svg",
            nodes: [
                .attribute(named: "xmlns", value: "http://www.w3.org/2000/svg"),
                .attribute(named: "viewBox", value: "0 0 \(width) \(height)"),
                .attribute(named: "width", value: "100%"),
                .attribute(named: "role", value: "img"),
                .attribute(named: "aria-labelledby", value: "\(id)-title"),
                .attribute(named: "focusable", value: "false"),
                .element(named: "title", nodes: [.attribute(named: "id", value: "\(id)-title"), .text(label)]),
            ] + children)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, className: String, title: String) -> Node {
        .element(
            named: "rect",
            nodes: [
                .attribute(named: "x", value: number(x)), .attribute(named: "y", value: number(y)),
                .attribute(named: "width", value: number(width)), .attribute(named: "height", value: number(height)),
                .attribute(named: "class", value: className),
                .element(named: "title", nodes: [.text(title)]),
            ])
    }

    static func text(
        _ content: String, x: Double, y: Double, className: String? = nil, anchor: String? = nil
    ) -> Node {
        .element(
            named: "text",
            nodes: [
                .attribute(named: "x", value: number(x)), .attribute(named: "y", value: number(y)),
                .attribute(named: "class", value: className),
                .attribute(named: "text-anchor", value: anchor),
                .text(content),
            ])
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, className: String) -> Node {
        .element(
            named: "line",
            nodes: [
                .attribute(named: "x1", value: number(x1)), .attribute(named: "y1", value: number(y1)),
                .attribute(named: "x2", value: number(x2)), .attribute(named: "y2", value: number(y2)),
                .attribute(named: "class", value: className),
            ])
    }

    static func polyline(_ points: [(x: Double, y: Double)], className: String) -> Node {
        .element(
            named: "polyline",
            nodes: [
                .attribute(
                    named: "points", value: points.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")),
                .attribute(named: "class", value: className),
            ])
    }

    static func circle(x: Double, y: Double, radius: Double, className: String, title: String) -> Node {
        .element(
            named: "circle",
            nodes: [
                .attribute(named: "cx", value: number(x)), .attribute(named: "cy", value: number(y)),
                .attribute(named: "r", value: number(radius)), .attribute(named: "class", value: className),
                .element(named: "title", nodes: [.text(title)]),
            ])
    }

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0
            ? String(Int(tenths / 10)) : String(format: "%.1f", tenths / 10)
    }
}
