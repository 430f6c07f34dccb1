import Foundation
import ProcessLaunch
import Subprocess
import SystemPackage

/// A program of the development system run as a child process, its standard output and error written to a log
/// file. It runs in a process group of its own, so a Ctrl-C in the terminal reaches otctl only, and otctl stops its
/// children in order.
///
/// swift-subprocess runs it in a task of its own, whose value is the exit status; ``stop()`` cancels that task, and
/// swift-subprocess's teardown sequence sends SIGTERM, then SIGKILL after ``stopTimeout``.
final class DevProcess: Sendable {
    /// How long ``stop()`` waits after SIGTERM before it sends SIGKILL.
    static let stopTimeout: Duration = .seconds(30)

    /// The program's name, such as `ot-registrations`.
    let name: String
    /// Its log file.
    let logFile: URL
    /// The run; its status is how the process ended (`nil` when swift-subprocess lost track of it).
    private let run: SpawnedRun<TerminationStatus?>

    /// Starts `executable` with `arguments`, the environment of otctl with `environment` laid over it, standard
    /// input from `/dev/null`, and output to `logFile` (created, or emptied).
    init(name: String, executable: URL, arguments: [String] = [], environment: [String: String], logFile: URL)
        async throws
    {
        self.name = name
        self.logFile = logFile
        let log: FileDescriptor
        do {
            log = try FileDescriptor.open(
                FilePath(logFile.path), .writeOnly, options: [.create, .truncate],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw OTCtlError("cannot write the log file \(logFile.path): \(error)")
        }
        let configuration = Subprocess.Configuration.childProcess(
            executable.path, arguments: arguments, environment: environment, stopGrace: Self.stopTimeout)
        do {
            run = try await SpawnedRun(failed: nil) { spawned in
                // The log file is the child's alone: closed here once the child has it, for standard output and
                // error both.
                try await Subprocess.run(
                    configuration, input: .none, output: .fileDescriptor(log, closeAfterSpawningProcess: true),
                    error: .combinedWithOutput
                ) { execution in
                    spawned(execution.processIdentifier.value)
                }.terminationStatus
            }
        } catch {
            throw OTCtlError("cannot start \(executable.path): \(error)")
        }
    }

    /// The process id.
    var pid: Int32 { run.pid }

    /// Whether it still runs.
    var isRunning: Bool { !run.hasEnded }

    /// Waits for the process to exit and returns its status: the exit code, or the number of the signal that ended
    /// it (-1 when swift-subprocess lost track of it).
    func waitForExit() async -> Int32 { await run.status?.code ?? -1 }

    /// Sends SIGTERM (a graceful stop: a service finishes its batch, publishes its outbox and exits 0) and waits
    /// for the exit; after ``stopTimeout``, SIGKILL.
    /// - Returns: The exit status, and whether it had to be killed.
    func stop() async -> (status: Int32, killed: Bool) {
        guard isRunning else { return (await waitForExit(), false) }
        run.cancel()
        let status = await run.status
        return (status?.code ?? -1, status == .signaled(SIGKILL))
    }

    /// The last `count` lines of the log, with national IDs masked: for an error message.
    func logTail(_ count: Int = 8) -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return Masking.maskNationalIDs(in: text.split(separator: "\n").suffix(count).joined(separator: "\n"))
    }
}
