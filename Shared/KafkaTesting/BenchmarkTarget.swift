/// A benchmark's figure beside its target, printed in the one form `make bench` gathers into its summary: a row of
/// a Markdown table, after the word `target` (docs/operations.md, "Benchmarks").
///
/// ```swift
/// BenchmarkTarget.report(
///     "runtime, no output", measured: "95,600 events/s", target: "≥ 100,000 events/s", met: rate >= 100_000)
/// ```
public enum BenchmarkTarget {
    /// Prints `target | figure | measured | target | peer | MET` (or `NOT MET`).
    /// - Parameters:
    ///   - figure: What was measured, and on what.
    ///   - measured: The figure, with its unit.
    ///   - target: The target, with its unit.
    ///   - met: Whether the figure meets the target.
    ///   - peer: The same figure for the peer (another implementation of the same work) in the same run, if any.
    public static func report(_ figure: String, measured: String, target: String, met: Bool, peer: String = "") {
        print("target | \(figure) | \(measured) | \(target) | \(peer) | \(met ? "MET" : "NOT MET") |")
    }

    /// `value` with thousands separated by commas, as the documents write figures.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }
}
