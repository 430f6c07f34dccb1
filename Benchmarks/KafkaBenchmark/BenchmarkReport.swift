import Foundation
import KafkaTesting

/// Collects the measurements of every round and prints them: a line per round, then the medians side by side.
struct BenchmarkReport {
    /// A direction data moves in.
    enum Phase: String, CaseIterable {
        case produce
        case consume
    }

    /// A client measured.
    enum Client: String, CaseIterable {
        case wrapper
        case kcat
    }

    /// The share of kcat's rate the wrapper must reach in both phases.
    static let target = 0.8

    private var measurements: [Phase: [Client: [BenchmarkMeasurement]]] = [:]

    /// Adds one measurement.
    mutating func record(_ measurement: BenchmarkMeasurement, _ phase: Phase, _ client: Client) {
        measurements[phase, default: [:]][client, default: []].append(measurement)
    }

    /// The median rate in messages per second, and in payload MB per second.
    func median(_ phase: Phase, _ client: Client) -> (messages: Double, megabytes: Double) {
        let runs = measurements[phase]?[client] ?? []
        return (Self.median(runs.map(\.messagesPerSecond)), Self.median(runs.map(\.megabytesPerSecond)))
    }

    /// The wrapper's median rate as a share of kcat's.
    func ratio(_ phase: Phase) -> Double {
        median(phase, .wrapper).messages / median(phase, .kcat).messages
    }

    /// Whether the wrapper reaches ``target`` of kcat's rate both ways.
    var isTargetMet: Bool { Phase.allCases.allSatisfy { ratio($0) >= Self.target } }

    /// One line with the last round's four rates.
    func roundLine(_ round: Int, of rounds: Int) -> String {
        let parts = Phase.allCases.map { phase in
            let rates = Client.allCases.map { client in
                let rate = measurements[phase]?[client]?.last?.messagesPerSecond ?? 0
                return "\(client.rawValue) \(Self.grouped(rate).leftPadded(9))"
            }
            return "\(phase.rawValue): \(rates.joined(separator: "  "))"
        }
        return "round \(round)/\(rounds)  " + parts.joined(separator: "   ") + "  msgs/s"
    }

    /// The table of medians and the verdict.
    var summary: String {
        let header = [
            "", "wrapper msgs/s", "kcat msgs/s", "wrapper/kcat", "wrapper MB/s", "kcat MB/s",
        ]
        var rows = [header]
        for phase in Phase.allCases {
            let (wrapper, kcat) = (median(phase, .wrapper), median(phase, .kcat))
            rows.append([
                phase.rawValue, Self.grouped(wrapper.messages), Self.grouped(kcat.messages),
                String(format: "%.1f%%", ratio(phase) * 100), String(format: "%.1f", wrapper.megabytes),
                String(format: "%.1f", kcat.megabytes),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max()! }
        var lines = rows.map { row in
            row.indices.map { column in
                column == 0 ? row[column].rightPadded(widths[column]) : row[column].leftPadded(widths[column])
            }.joined(separator: "   ")
        }
        lines.append("")
        lines.append(
            "target: wrapper >= \(Int(Self.target * 100))% of kcat both ways: \(isTargetMet ? "MET" : "NOT MET")")
        return lines.joined(separator: "\n")
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// An integer with thousands separators: `1,234,567`.
    static func grouped(_ value: Double) -> String {
        grouped(Int(value.rounded()))
    }

    /// An integer with thousands separators: `1,234,567`.
    static func grouped(_ value: Int) -> String { BenchmarkTarget.grouped(value) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate func rightPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
