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

    /// How many hours are remembered at a time, about 22 months of them: an hour's offset is kept in the slot of
    /// its number modulo this, in place of the hour that had it. A table rather than a dictionary: hashing the hour
    /// cost more than half of a lookup (`ot-registrations` asks for about three dates per event).
    static let slotCount = 16_384

    /// An hour (since 1970-01-01 00:00 UTC) and its offset in seconds; the hour `Int32.min` for none.
    private struct Slot {
        var hour: Int32
        var offset: Int32
    }

    let timeZone: TimeZone
    private let slots = Mutex<[Slot]>(Array(repeating: Slot(hour: .min, offset: 0), count: ZoneOffsets.slotCount))

    init(_ timeZone: TimeZone) { self.timeZone = timeZone }

    /// The zone's offset from UTC, in seconds, at `seconds` after 1970-01-01 00:00 UTC.
    func secondsFromGMT(at seconds: Int) -> Int {
        let hour = seconds >= 0 ? seconds / 3_600 : (seconds - 3_599) / 3_600
        // Hours beyond Int32 (about 245,000 years either way) are always asked of the zone.
        guard let key = Int32(exactly: hour), key != .min else { return timeZone.secondsFromGMT(for: date(seconds)) }
        let index = Int(UInt32(bitPattern: key)) & (Self.slotCount - 1)
        if let offset = slots.withLock({ $0[index].hour == key ? $0[index].offset : nil }) { return Int(offset) }
        let first = timeZone.secondsFromGMT(for: date(hour * 3_600))
        let last = timeZone.secondsFromGMT(for: date(hour * 3_600 + 3_599))
        guard first == last, let offset = Int32(exactly: first) else {
            return timeZone.secondsFromGMT(for: date(seconds))
        }
        slots.withLock { $0[index] = Slot(hour: key, offset: offset) }
        return first
    }

    private func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: Double(seconds)) }
}
