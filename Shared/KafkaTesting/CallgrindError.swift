/// Why a program could not be run or measured under callgrind.
public enum CallgrindError: Error, CustomStringConvertible {
    case failed(String)

    public var description: String {
        switch self {
        case .failed(let reason): reason
        }
    }
}
