import Foundation

/// Produces and consumes the workload with kcat, on the same broker, with the producer settings our wrapper uses
/// by default; each measurement is the wall-clock time from launching kcat to its exit.
struct KcatBenchmark {
    /// The kcat executable.
    let executable: URL
    /// The broker.
    let bootstrapServers: String
    /// Where kcat's standard error goes, one file per run, to quote when it fails.
    let scratchDirectory: URL
    /// What to send.
    let workload: BenchmarkWorkload

    /// Finds `name` the way a shell would: as a path when it contains a slash, else in `PATH`.
    static func resolve(_ name: String) throws -> URL {
        let fileManager = FileManager.default
        if name.contains("/") {
            guard fileManager.isExecutableFile(atPath: name) else { throw BenchmarkError.toolNotFound(name) }
            return URL(fileURLWithPath: name)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if fileManager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw BenchmarkError.toolNotFound(name)
    }

    /// Sends the `key<TAB>value` lines of `input` to `topic`: idempotent, murmur2_random, linger 5 ms.
    func produce(topic: String, input: URL) async throws -> BenchmarkMeasurement {
        let duration = try await run(
            [
                "-P", "-b", bootstrapServers, "-t", topic, "-K", "\\t", "-l", input.path,
                "-X", "enable.idempotence=true", "-X", "partitioner=murmur2_random", "-X", "linger.ms=5",
            ],
            output: .nullDevice)
        return BenchmarkMeasurement(messages: workload.count, bytes: workload.payloadBytes, duration: duration)
    }

    /// Reads `topic` from the beginning to its end, printing the values to `/dev/null`.
    func consume(topic: String) async throws -> BenchmarkMeasurement {
        let duration = try await run(
            ["-C", "-b", bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q"], output: .nullDevice)
        return BenchmarkMeasurement(messages: workload.count, bytes: workload.payloadBytes, duration: duration)
    }

    /// Reads `topic` once more, untimed, and counts the messages of each partition.
    func messagesPerPartition(topic: String) async throws -> [Int] {
        let url = scratchDirectory.appendingPathComponent("\(topic).partitions")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let output = try FileHandle(forWritingTo: url)
        _ = try await run(
            ["-C", "-b", bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p\\n"], output: output)
        try output.close()
        var counts = [Int](repeating: 0, count: workload.partitionCount)
        var partition = 0
        for byte in try Data(contentsOf: url) {
            if byte == UInt8(ascii: "\n") {
                guard partition < counts.count else { break }
                counts[partition] += 1
                partition = 0
            } else {
                partition = partition * 10 + Int(byte &- UInt8(ascii: "0"))
            }
        }
        return counts
    }

    /// Runs kcat with `arguments` and returns the time from launch to exit.
    ///
    /// - Throws: ``BenchmarkError/toolFailed(command:status:standardError:)`` when kcat cannot start or exits
    ///   with a failure.
    private func run(_ arguments: [String], output: FileHandle) async throws -> Duration {
        let command = ([executable.path] + arguments).joined(separator: " ")
        let errorURL = scratchDirectory.appendingPathComponent("kcat-\(UUID().uuidString).stderr")
        guard FileManager.default.createFile(atPath: errorURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: errorURL.path])
        }
        defer { try? FileManager.default.removeItem(at: errorURL) }
        let errorOutput = try FileHandle(forWritingTo: errorURL)
        defer { try? errorOutput.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errorOutput
        let clock = ContinuousClock()
        let duration: Duration = try await withCheckedThrowingContinuation { continuation in
            let start = clock.now
            process.terminationHandler = { _ in continuation.resume(returning: start.duration(to: clock.now)) }
            do {
                try process.run()
            } catch {
                continuation.resume(
                    throwing: BenchmarkError.toolFailed(command: command, status: -1, standardError: "\(error)"))
            }
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let standardError = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            throw BenchmarkError.toolFailed(
                command: command, status: process.terminationStatus,
                standardError: standardError.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return duration
    }
}
