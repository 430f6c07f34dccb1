import Foundation
import ProcessExit

/// An executable of this package run as a child process: a service or worker under test. Its standard output
/// lines can be awaited; it can be stopped with SIGTERM or killed with SIGKILL.
public final class ChildProcess: Sendable {
    private let process: Process
    private let exit: ProcessExit
    /// Lines the process printed to standard output (and to standard error, when asked for).
    public let lines: AsyncStream<String>

    /// Starts `executable` (a product name, found beside the running test bundle, or a path).
    /// - Parameter includingStandardError: Whether ``lines`` holds standard error's lines too (a service's log);
    ///   otherwise standard error is discarded.
    public init(
        executable: String, arguments: [String] = [], environment: [String: String] = [:],
        includingStandardError: Bool = false
    ) throws {
        let process = Process()
        process.executableURL =
            executable.contains("/")
            ? URL(fileURLWithPath: executable) : Self.buildDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        // The child's log lines are not the test's: if the test process died, a child writing to an inherited
        // stderr would keep `swift test` waiting for the end of its output.
        process.standardError = includingStandardError ? output : FileHandle.nullDevice
        let handle = output.fileHandleForReading
        lines = AsyncStream { continuation in
            // A plain thread with blocking reads: FileHandle's readabilityHandler goes through libdispatch's event
            // loop, which crashed the test process once when a pipe closed under load.
            let reader = Thread {
                let splitter = LineSplitter()
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    for line in splitter.append(data) { continuation.yield(line) }
                }
                continuation.finish()
            }
            reader.name = "child-process-output"
            reader.start()
        }
        exit = ProcessExit(watching: process)
        try process.run()
        self.process = process
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Whether it still runs.
    public var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM (a graceful stop) and waits for the exit status.
    @discardableResult
    public func terminate() async -> Int32 {
        if process.isRunning { process.terminate() }
        return await waitForExit()
    }

    /// Sends SIGKILL (a crash) and waits until the process is gone.
    public func kill() async {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        _ = await waitForExit()
    }

    /// Waits for the process to exit and returns its status.
    public func waitForExit() async -> Int32 { await exit.status }

    /// The build folder of the running executable or test bundle, where the package's products are.
    public static var buildDirectory: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory
    }
}

/// Splits a byte stream into lines; used from the pipe's reading thread only.
final class LineSplitter: @unchecked Sendable {
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
