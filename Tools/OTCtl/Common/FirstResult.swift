import Synchronization

/// The first of several results, for racing work that cannot be cancelled (a process's exit, a signal, a flow
/// that may be stuck in a delivery wait): each racer offers its result, the first one wins, one waiter gets it.
final class FirstResult<Value: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Value, Never>?)
        case done(Value)
    }

    private let state = Mutex<State>(.waiting(nil))

    /// Offers a result; only the first one counts.
    func offer(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, Never>?? in
            guard case .waiting(let waiter) = state else { return nil }
            state = .done(value)
            return .some(waiter)
        }
        if case .some(.some(let waiter)) = waiter { waiter.resume(returning: value) }
    }

    /// The first result offered, once there is one. Await it from one task only.
    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Value? in
                    switch state {
                    case .done(let value): return value
                    case .waiting: state = .waiting(continuation)
                    }
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
