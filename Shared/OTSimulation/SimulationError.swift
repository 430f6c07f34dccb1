import OTContract

/// Why a simulation could not be generated.
public enum SimulationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A parameter is out of range; the text says which and why.
    case invalidParameter(String)
    /// A generated payload broke a contract rule: a bug in the simulation, reported rather than hidden.
    case contract(ContractError)

    /// A one-line account of the error.
    public var description: String {
        switch self {
        case .invalidParameter(let reason): "invalid simulation parameter: \(reason)"
        case .contract(let error): "the simulation made an invalid event (a bug): \(error)"
        }
    }
}
