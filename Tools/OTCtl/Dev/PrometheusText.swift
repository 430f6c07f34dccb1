/// One sample of a Prometheus text exposition: `name{label="value",…} 42`.
struct MetricSample: Equatable, Sendable {
    /// The metric name, such as `ot_events_processed_total`.
    var name: String
    /// The labels.
    var labels: [String: String]
    /// The value.
    var value: Double
}

/// Reads the Prometheus text format the services serve on `/metrics` (comments and blank lines skipped).
enum PrometheusText {
    /// The samples of `text`; lines that do not parse are skipped.
    static func parse(_ text: String) -> [MetricSample] {
        text.split(separator: "\n").compactMap { parseLine(Substring($0)) }
    }

    private static func parseLine(_ line: Substring) -> MetricSample? {
        let line = line.drop { $0 == " " }
        guard !line.isEmpty, line.first != "#" else { return nil }
        guard let valueStart = line.lastIndex(of: " "), let value = Double(line[line.index(after: valueStart)...])
        else { return nil }
        let series = line[..<valueStart].trimmingSuffix(" ")
        guard let brace = series.firstIndex(of: "{") else {
            return MetricSample(name: String(series), labels: [:], value: value)
        }
        guard series.last == "}" else { return nil }
        var labels: [String: String] = [:]
        var rest = series[series.index(after: brace)..<series.index(before: series.endIndex)]
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingPrefix(",").trimmingSuffix(" ")
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { return nil }
            rest = rest.dropFirst()
            var labelValue = ""
            var escaped = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if escaped {
                    labelValue.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    break
                } else {
                    labelValue.append(character)
                }
            }
            labels[String(name.drop { $0 == " " })] = labelValue
        }
        return MetricSample(name: String(series[..<brace]), labels: labels, value: value)
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ character: Character) -> Substring {
        var result = self
        while result.last == character { result = result.dropLast() }
        return result
    }

    fileprivate func trimmingPrefix(_ character: Character) -> Substring {
        var result = self
        while result.first == character { result = result.dropFirst() }
        return result
    }
}
