import OTContract
import Synchronization

/// The period stage's last record and its stored text for each statistics key, by what it was made from: a batch
/// makes and encodes again only the records whose counts, suppressed cells or day changed (most of a period's keys are
/// untouched by a batch, and at a low rate every batch goes through the whole period).
///
/// A pure memo: an entry is used only when the inputs are equal, and the record made from equal inputs is the same,
/// so it holds across rebalances and restores without being told of them. At most ``capacity`` keys are kept.
final class RecordCache: Sendable {
    private struct Made {
        var cells: [String: Int]
        var county: County?
        var suppressed: Set<String>
        var asOf: LocalDate
        var record: EncodedPayload<StatisticsUpdated>
        var text: String
    }

    static let capacity = 20_000

    private let made = Mutex<[StatisticsKey: Made]>([:])

    /// The record of `entry` with `suppressed` as of `asOf`, checked and encoded, and its stored text (the same
    /// JSON, as ``StatisticsHandler/json(_:)`` writes it).
    func record(
        _ entry: Suppression.Entry, suppressed: Set<String>, asOf: LocalDate
    ) throws -> (record: EncodedPayload<StatisticsUpdated>, text: String) {
        if let known = made.withLock({ $0[entry.key] }), known.asOf == asOf, known.county == entry.county,
            known.suppressed == suppressed, known.cells == entry.cells
        {
            return (known.record, known.text)
        }
        let record = try EncodedPayload(StatisticsRecord.make(entry, suppressed: suppressed, asOf: asOf))
        let text = String(decoding: record.json, as: UTF8.self)
        made.withLock {
            if $0.count >= Self.capacity { $0.removeAll(keepingCapacity: true) }
            $0[entry.key] = Made(
                cells: entry.cells, county: entry.county, suppressed: suppressed, asOf: asOf, record: record, text: text
            )
        }
        return (record, text)
    }
}
