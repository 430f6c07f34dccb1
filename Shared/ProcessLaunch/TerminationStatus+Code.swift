import Subprocess

extension TerminationStatus {
    /// As Foundation's `Process.terminationStatus`: the exit code, or the number of the signal that ended the
    /// process.
    public var code: Int32 {
        switch self {
        case .exited(let code), .signaled(let code): code
        }
    }
}
