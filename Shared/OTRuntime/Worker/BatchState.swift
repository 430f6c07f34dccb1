/// State a handler keeps across the events of one partition's batch, for the length of its transaction: a new one
/// for each transaction, so a batch that is retried starts empty.
///
/// Add to it only once an event's database work has succeeded (last in ``WorkerHandler/handle(_:context:)``): an
/// event whose handler throws is rolled back in the store, but not here.
public final class BatchState {
    private var values: [ObjectIdentifier: AnyObject] = [:]

    init() {}

    /// The batch's value of type `Value`, made by `make` the first time it is asked for.
    public func value<Value: AnyObject>(_ make: () -> Value) -> Value {
        if let value = values[ObjectIdentifier(Value.self)] as? Value { return value }
        let value = make()
        values[ObjectIdentifier(Value.self)] = value
        return value
    }

    /// The batch's value of type `Value`, if any was made.
    public func existing<Value: AnyObject>(_ type: Value.Type) -> Value? {
        values[ObjectIdentifier(Value.self)] as? Value
    }
}
