/// Why a worker stopped.
public enum WorkerError: Error, Sendable, CustomStringConvertible {
    /// The configuration is not usable.
    case invalidConfiguration(String)
    /// An input topic is missing or the inputs are not co-partitioned.
    case topics(String)
    /// A partition store could not be opened.
    case store(partition: Int32, String)
    /// The worker cannot go on and stops (not ready, exit non-zero): a fatal producer error, a batch's end that
    /// fails every time, a restore that cannot complete, input that would have to be read again.
    case stopped(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): "invalid configuration: \(reason)"
        case .topics(let reason): "input topics: \(reason)"
        case .store(let partition, let reason): "the store of partition \(partition) cannot be used: \(reason)"
        case .stopped(let reason): "the worker stopped: \(reason)"
        }
    }
}
