/// Why a benchmark run stopped without printing rates: a rate over lost or misplaced messages would be meaningless.
enum BenchmarkError: Error, CustomStringConvertible {
    /// The wrapper reported messages as not delivered.
    case undelivered(topic: String, failed: Int, total: Int, firstError: String)
    /// A topic holds fewer (or more) messages than were produced, or they are on other partitions than murmur2 says.
    case lostMessages(topic: String, reader: String, found: Int, expected: Int, detail: String)
    /// kcat exited with a failure, or could not be started.
    case toolFailed(command: String, status: Int32, standardError: String)
    /// The kcat executable is not where `--kcat` says.
    case toolNotFound(String)

    var description: String {
        switch self {
        case .undelivered(let topic, let failed, let total, let firstError):
            "\(failed) of \(total) messages to \(topic) were not delivered (first error: \(firstError))"
        case .lostMessages(let topic, let reader, let found, let expected, let detail):
            "\(reader) found \(found) messages in \(topic), expected \(expected)\(detail.isEmpty ? "" : ": \(detail)"); "
                + "no rates are printed over lost messages (the mock broker drops data beyond 5 MiB per partition: "
                + "lower --messages or --size, or raise --partitions)"
        case .toolFailed(let command, let status, let standardError):
            "\(command) failed with status \(status)\(standardError.isEmpty ? "" : ":\n\(standardError)")"
        case .toolNotFound(let name):
            "cannot find the kcat executable '\(name)' (in PATH or as a path); install kcat or pass --kcat PATH"
        }
    }
}
