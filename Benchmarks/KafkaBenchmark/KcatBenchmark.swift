import Foundation
import Subprocess
import SystemPackage

/// Produces and consumes the workload with kcat, on the same broker, with the producer settings our wrapper uses
/// by default; each measurement is the wall-clock time from launching kcat to its exit.
struct KcatBenchmark {
    /// The kcat executable.
    let executable: URL
    /// The broker.
    let bootstrapServers: String
    /// Where the untimed count of messages per partition writes its listing.
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
            output: .discarded)
        return BenchmarkMeasurement(messages: workload.count, bytes: workload.payloadBytes, duration: duration)
    }

    /// Reads `topic` from the beginning to its end, printing the values to `/dev/null`.
    func consume(topic: String) async throws -> BenchmarkMeasurement {
        let duration = try await run(
            ["-C", "-b", bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q"], output: .discarded)
        return BenchmarkMeasurement(messages: workload.count, bytes: workload.payloadBytes, duration: duration)
    }

    /// Reads `topic` once more, untimed, and counts the messages of each partition.
    func messagesPerPartition(topic: String) async throws -> [Int] {
        let url = scratchDirectory.appendingPathComponent("\(topic).partitions")
        let output = try FileDescriptor.open(
            FilePath(url.path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try await run(
            ["-C", "-b", bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p\\n"],
            output: .fileDescriptor(output, closeAfterSpawningProcess: true))
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

    /// Runs kcat with `arguments`, standard output to `output`, and returns the time from launch to exit.
    ///
    /// - Throws: ``BenchmarkError/toolFailed(command:status:standardError:)`` when kcat cannot start or exits
    ///   with a failure.
    private func run<Output: OutputProtocol>(_ arguments: [String], output: Output) async throws -> Duration {
        let command = ([executable.path] + arguments).joined(separator: " ")
        let clock = ContinuousClock()
        let start = clock.now
        let result: ExecutionResult<Void, Output, StringOutput<UTF8>>
        do {
            result = try await Subprocess.run(
                .path(FilePath(executable.path)), arguments: Arguments(arguments), output: output,
                error: .string(limit: 1 << 20))
        } catch {
            throw BenchmarkError.toolFailed(command: command, status: -1, standardError: "\(error)")
        }
        let duration = start.duration(to: clock.now)
        guard case .exited(0) = result.terminationStatus else {
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code), .signaled(let code): status = code
            }
            throw BenchmarkError.toolFailed(
                command: command, status: status,
                standardError: result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return duration
    }
}
