import Foundation
import Synchronization

/// A time zone's offset from UTC, remembered per hour of UTC: the date of an instant in Norway is asked for on every
/// event (its day decides what a rule acts on), and Foundation answers each question from the time-zone rules again
/// (with `TimeZone.norway` built from its identifier each time, 1.5 % of `ot-registrations`' perf samples).
///
/// An hour's offset is remembered only when the zone has the same offset at its first and its last second, so an
/// hour with a change in it is always asked of the zone itself. Zones change at most once in an hour (Norway's
/// summer time starts and ends at 01:00 UTC), so the answer is always the zone's own.
final class ZoneOffsets: Sendable {
    /// Norway's (`TimeZone.norway`).
    static let norway = ZoneOffsets(.norway)

    /// The most hours remembered, about 11 years of them; past that the memory starts again.
    static let capacity = 100_000

    let timeZone: TimeZone
    private let hours = Mutex<[Int: Int]>([:])

    init(_ timeZone: TimeZone) { self.timeZone = timeZone }

    /// The zone's offset from UTC, in seconds, at `seconds` after 1970-01-01 00:00 UTC.
    func secondsFromGMT(at seconds: Int) -> Int {
        let hour = seconds >= 0 ? seconds / 3_600 : (seconds - 3_599) / 3_600
        if let offset = hours.withLock({ $0[hour] }) { return offset }
        let first = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour * 3_600)))
        let last = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour * 3_600 + 3_599)))
        guard first == last else {
            return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        }
        hours.withLock {
            if $0.count >= Self.capacity { $0.removeAll(keepingCapacity: true) }
            $0[hour] = first
        }
        return first
    }
}
