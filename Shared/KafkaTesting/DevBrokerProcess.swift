import Foundation
import Kafka

/// The `ot-dev-broker` executable run as a child process, for tests and tools that need the broker outside
/// their own process. It is stopped with SIGTERM by ``stop()``.
public final class DevBrokerProcess: Sendable {
    /// The bootstrap servers the broker printed.
    public let bootstrapServers: String
    /// The data directory it writes its bootstrap file to.
    public let dataDirectory: URL
    private let process: Process

    /// Starts the broker from `executable` and waits until it has printed its bootstrap servers.
    ///
    /// - Parameters:
    ///   - executable: The `ot-dev-broker` binary; by default the one beside the running test bundle or tool.
    ///   - arguments: Extra arguments, such as `["--brokers", "1"]`.
    public init(
        executable: URL = DevBrokerProcess.defaultExecutable, dataDirectory: URL, arguments: [String] = [],
        timeout: Duration = .seconds(30)
    ) async throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--data-dir", dataDirectory.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        let lines = AsyncStream<String> { continuation in
            let buffer = LineBuffer()
            output.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    continuation.finish()
                    return
                }
                for line in buffer.append(data) { continuation.yield(line) }
            }
        }
        try process.run()
        self.process = process
        self.dataDirectory = dataDirectory
        let prefix = "bootstrap.servers="
        do {
            bootstrapServers = try await withTimeout(timeout, waitingFor: "ot-dev-broker to print its bootstrap servers") {
                for await line in lines where line.hasPrefix(prefix) { return String(line.dropFirst(prefix.count)) }
                throw DevBrokerError.exitedEarly
            }
        } catch {
            process.terminate()
            throw error
        }
    }

    /// A client configuration for this broker.
    public var configuration: KafkaConfiguration { KafkaConfiguration(bootstrapServers: bootstrapServers) }

    /// Sends SIGTERM and waits for the process to exit; returns its exit status.
    @discardableResult
    public func stop() async -> Int32 {
        if process.isRunning { process.terminate() }
        let process = self.process
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }

    /// The `ot-dev-broker` binary in the same build folder as the running executable or test bundle.
    public static var defaultExecutable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // `swift test` runs `<build>/debug/<package>PackageTests.xctest`; tools run from `<build>/debug`.
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("ot-dev-broker")
    }

    /// Why the broker process could not be used.
    public enum DevBrokerError: Error {
        /// It exited before printing its bootstrap servers.
        case exitedEarly
    }
}

/// Splits a byte stream into lines; used from the pipe's reading thread only.
private final class LineBuffer: @unchecked Sendable {
    private var pending = Data()

    func append(_ data: Data) -> [String] {
        pending.append(data)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
        return lines
    }
}

/// The log level for test clients: `OT_LOG_LEVEL`, or `warning`.
func testLogLevel() -> Logger.Level {
    ProcessInfo.processInfo.environment["OT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
}

import Logging
