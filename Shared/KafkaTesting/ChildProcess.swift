import Foundation
import ProcessLaunch
import Subprocess

/// An executable of this package run as a child process: a service or worker under test. Its standard output
/// lines can be awaited; it can be stopped with SIGTERM or killed with SIGKILL.
///
/// swift-subprocess runs it in a task of its own, for as long as the process lives: the task reads the output and
/// sends the signals through the running execution, and its value is the exit status. The process has a process
/// group of its own (as Foundation's `Process` gave it), so a Ctrl-C in the terminal reaches the test process only;
/// the tests stop their children themselves.
public final class ChildProcess: Sendable {
    /// Lines the process printed to standard output (and to standard error, when asked for).
    public let lines: AsyncStream<String>
    /// Signals for the running execution; finished once the output has ended.
    private let signals: AsyncStream<Subprocess.Signal>.Continuation
    /// The run; its status is the exit status.
    private let run: SpawnedRun<Int32>

    /// Starts `executable` (a product name, found beside the running test bundle, or a path), with the environment
    /// of the running process with `environment` laid over it and standard input from `/dev/null`.
    /// - Parameter includingStandardError: Whether ``lines`` holds standard error's lines too (a service's log);
    ///   otherwise standard error is discarded.
    /// - Throws: swift-subprocess's `SubprocessError` when the executable cannot be started.
    public init(
        executable: String, arguments: [String] = [], environment: [String: String] = [:],
        includingStandardError: Bool = false
    ) async throws {
        let path = executable.contains("/") ? executable : Self.buildDirectory.appendingPathComponent(executable).path
        // The teardown is only for a process that closed its output and runs on: signals then go by cancelling the
        // run.
        let configuration = Subprocess.Configuration.childProcess(
            path, arguments: arguments, environment: environment, stopGrace: .seconds(10))
        let (lines, lineSink) = AsyncStream.makeStream(of: String.self)
        let (signals, signalSource) = AsyncStream.makeStream(of: Subprocess.Signal.self)
        run = try await SpawnedRun(failed: -1) { spawned in
            defer { lineSink.finish() }
            // The child's log lines are not the test's: if the test process died, a child writing to an inherited
            // stderr would keep `swift test` waiting for the end of its output.
            return try await includingStandardError
                ? Self.run(configuration, error: .combinedWithOutput, spawned, lineSink, signals, signalSource)
                : Self.run(configuration, error: .discarded, spawned, lineSink, signals, signalSource)
        }
        self.lines = lines
        self.signals = signalSource
    }

    /// A process whose handle goes away while it runs is killed: a test that stopped early (a thrown error, a
    /// `break`) leaves no process behind to run on through the rest of the suite.
    deinit {
        send(.kill)
    }

    /// The process id.
    public var pid: Int32 { run.pid }

    /// Runs the process to its end: reads its output into `lines` and sends it the signals asked for until the
    /// output ends, which swift-subprocess makes happen when the process exits, also when a grandchild holds the
    /// pipe open.
    private static func run(
        _ configuration: Subprocess.Configuration, error: some ErrorOutputProtocol,
        _ spawned: @escaping @Sendable (Int32) -> Void, _ lines: AsyncStream<String>.Continuation,
        _ signals: AsyncStream<Subprocess.Signal>, _ signalSource: AsyncStream<Subprocess.Signal>.Continuation
    ) async throws -> Int32 {
        let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: error) {
            execution in
            spawned(execution.processIdentifier.value)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await signal in signals { try? execution.send(signal: signal) }
                }
                // swift-subprocess reads through its own epoll thread; no libdispatch readability handler (which
                // crashed the test process once when a pipe closed under load).
                let output = execution.standardOutput.strings(
                    separatedBy: .unicodeScalarSequence(["\n"]), bufferingPolicy: .unbounded)
                do {
                    for try await line in output { lines.yield(line) }
                } catch {
                    // A failed read ends the lines as the end of the output does.
                }
                lines.finish()
                signalSource.finish()
            }
        }
        return result.terminationStatus.code
    }

    /// Whether it still runs.
    public var isRunning: Bool { !run.hasEnded }

    /// Sends SIGTERM (a graceful stop) and waits for the exit status.
    @discardableResult
    public func terminate() async -> Int32 {
        send(.terminate)
        return await waitForExit()
    }

    /// Sends SIGKILL (a crash) and waits until the process is gone.
    public func kill() async {
        send(.kill)
        _ = await waitForExit()
    }

    /// Waits for the process to exit and returns its status: the exit code, or the number of the signal that ended
    /// it (-1 when swift-subprocess lost track of it).
    public func waitForExit() async -> Int32 { await run.status }

    private func send(_ signal: Subprocess.Signal) {
        guard isRunning else { return }
        // Once the output has ended the execution is gone: the process has exited, or it closed its output and
        // runs on, and then only cancelling the run stops it (the teardown sequence: SIGTERM, SIGKILL 10 s later).
        if case .terminated = signals.yield(signal) { run.cancel() }
    }

    /// The build folder of the running executable or test bundle, where the package's products are.
    public static var buildDirectory: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory
    }
}
