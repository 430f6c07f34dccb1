import Synchronization

/// A child process that swift-subprocess runs in a task of its own for as long as the process lives: its pid once it
/// is spawned, whether its run has ended, and the status the run ends with. `ChildProcess` (the test harness) and
/// otctl's development processes are built on it.
///
/// swift-subprocess's `run` is scoped (it returns when the process has ended); a child that outlives the call that
/// starts it needs that run in a task, and the pid handed out of it.
public final class SpawnedRun<Status: Sendable>: Sendable {
    /// The process id.
    public let pid: Int32
    private let task: Task<Status, Never>
    private let ended: EndFlag

    /// Runs `body` in a task of its own and returns once the process is spawned, or throws the error that kept it
    /// from being spawned.
    ///
    /// - Parameters:
    ///   - failed: The status when `body` throws after the spawn (swift-subprocess lost track of the process).
    ///   - body: Runs the process (with `Subprocess.run`) and calls `spawned` with its pid as soon as it runs.
    public init(
        failed: Status,
        _ body: @escaping @Sendable (_ spawned: @escaping @Sendable (Int32) -> Void) async throws -> Status
    ) async throws {
        let (started, start) = AsyncThrowingStream.makeStream(of: Int32.self)
        let ended = EndFlag()
        let task = Task {
            defer { ended.set() }
            do {
                return try await body { pid in
                    start.yield(pid)
                    start.finish()
                }
            } catch {
                start.finish(throwing: error)  // before the spawn: the error of `init`; after it, no status to give
                return failed
            }
        }
        var pids = started.makeAsyncIterator()
        do {
            // No pid and no error: the task that spawns it was cancelled.
            guard let pid = try await pids.next() else { throw CancellationError() }
            self.pid = pid
        } catch {
            task.cancel()  // a process that was spawned all the same is torn down
            _ = await task.value
            throw error
        }
        self.task = task
        self.ended = ended
    }

    /// Whether the run has ended (the process has exited, or swift-subprocess lost track of it).
    public var hasEnded: Bool { ended.isSet }

    /// Waits for the run to end and returns its status.
    public var status: Status { get async { await task.value } }

    /// Cancels the run: swift-subprocess's teardown sequence of the run's configuration stops the process.
    public func cancel() { task.cancel() }
}

/// Set once a run has ended.
private final class EndFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
