import Foundation
import ProcessExit

/// A program of the development system run as a child process, its standard output and error written to a log
/// file. Foundation starts it in a process group of its own, so a Ctrl-C in the terminal reaches otctl only, and
/// otctl stops its children in order.
final class DevProcess: Sendable {
    /// The program's name, such as `ot-registrations`.
    let name: String
    /// Its log file.
    let logFile: URL
    private let process: Process
    private let exit: ProcessExit

    /// Starts `executable` with `arguments`, the environment of otctl with `environment` laid over it, and output
    /// to `logFile` (created, or emptied).
    init(name: String, executable: URL, arguments: [String] = [], environment: [String: String], logFile: URL) throws {
        self.name = name
        self.logFile = logFile
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil),
            let log = FileHandle(forWritingAtPath: logFile.path)
        else { throw OTCtlError("cannot write the log file \(logFile.path)") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        exit = ProcessExit(watching: process)
        do {
            try process.run()
        } catch {
            throw OTCtlError("cannot start \(executable.path): \(error)")
        }
        self.process = process
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether it still runs.
    var isRunning: Bool { process.isRunning }

    /// Waits for the process to exit and returns its status.
    func waitForExit() async -> Int32 { await exit.status }

    /// Sends SIGTERM (a graceful stop: a service finishes its batch, publishes its outbox and exits 0) and waits
    /// for the exit; after `timeout`, SIGKILL.
    /// - Returns: The exit status, and whether it had to be killed.
    func stop(timeout: Duration = .seconds(30)) async -> (status: Int32, killed: Bool) {
        guard process.isRunning else { return (process.terminationStatus, false) }
        process.terminate()
        let pid = self.pid
        let killer = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        let status = await waitForExit()
        killer.cancel()
        return (status, process.terminationReason == .uncaughtSignal && status == SIGKILL)
    }

    /// The last `count` lines of the log, with national IDs masked: for an error message.
    func logTail(_ count: Int = 8) -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return Masking.maskNationalIDs(in: text.split(separator: "\n").suffix(count).joined(separator: "\n"))
    }
}
