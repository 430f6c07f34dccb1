import Foundation
import OTContract
import Synchronization

/// A clock a test moves: give ``now`` to ``WorkerConfiguration/clock`` and the handlers see the time the test sets.
public final class TestClock: Sendable {
    private let value: Mutex<Date>

    /// A clock at `date`.
    public init(_ date: Date) { value = Mutex(date) }

    /// The time the test set.
    public var now: Date { value.withLock { $0 } }

    /// Moves the clock to `date`.
    public func set(_ date: Date) { value.withLock { $0 = date } }
}

/// Noon in Norway on a date given as `YYYY-MM-DD`: a time whose Norwegian date is that day whatever the offset.
public func noon(_ text: String) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = .norway
    let date = try! LocalDate(text)
    return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!
}
