import OTContract
import Testing

@testable import Statistics

/// The period stage's memo of made records: the record it gives is always the one made afresh from the same counts,
/// suppressed cells and day, however the calls before it went.
@Suite("Stage 3's record cache", .timeLimit(.minutes(2)))
struct RecordCacheTests {
    static let key = StatisticsKey(scope: .county, id: "50", period: .current)
    static let day = try! LocalDate("2026-12-03")

    static func entry(open: Int) -> Suppression.Entry {
        Suppression.Entry(
            key: key, county: .trondelag, cells: ["openRegistrations": open, "byStatusCode.OTUK": open])
    }

    /// The record and its stored text made without the cache.
    static func fresh(_ entry: Suppression.Entry, suppressed: Set<String>, asOf: LocalDate) throws
        -> (StatisticsUpdated, String)
    {
        let record = StatisticsRecord.make(entry, suppressed: suppressed, asOf: asOf)
        return (record, try StatisticsHandler.json(record))
    }

    @Test("equal inputs give the record made before; other counts, suppressed cells or day give a new one")
    func followsItsInputs() throws {
        let cache = RecordCache()
        let calls: [(Suppression.Entry, Set<String>, LocalDate)] = [
            (Self.entry(open: 7), [], Self.day),
            (Self.entry(open: 7), [], Self.day),  // the same again
            (Self.entry(open: 8), [], Self.day),  // a count
            (Self.entry(open: 8), ["byStatusCode.OTUK"], Self.day),  // a suppressed cell
            (Self.entry(open: 8), ["byStatusCode.OTUK"], Self.day.adding(days: 1)),  // the day
            (Self.entry(open: 7), [], Self.day),  // back to the first
        ]
        for (entry, suppressed, day) in calls {
            let cached = try cache.record(entry, suppressed: suppressed, asOf: day)
            let (record, text) = try Self.fresh(entry, suppressed: suppressed, asOf: day)
            #expect(cached.record.payload == record)
            #expect(cached.text == text)
            #expect(cached.record.json == Array(text.utf8))  // what is emitted is what is stored
        }
        let first = try cache.record(Self.entry(open: 7), suppressed: [], asOf: Self.day)
        #expect(first.record.payload.openRegistrations == 7 && first.record.payload.asOf == Self.day)
    }
}
