import OTContract
import OTStore

/// Where a youth lived, from which day: every `person.updated` (and a case worker's transfer to another county) is
/// an entry dated as the day it happened, so that a move follows the dates of the updates whatever order they
/// arrive in (docs/registrations.md, "Moves"). Kept with the person (`persons.residences`), where every event's
/// decision reads it anyway.
struct ResidenceHistory: Sendable, Equatable {
    /// The youth lives in `county` from `date`. `at` is the event's time in milliseconds since 1970, which orders
    /// the entries of one day.
    struct Entry: Sendable, Equatable {
        var date: LocalDate
        var at: Int64
        var county: County

        /// Where the entry belongs: by date, then time, then county number. Two updates of one time cannot be told
        /// apart by time, so the greater county number counts as the later, in whatever order they arrive.
        fileprivate func isOrdered(before other: Entry) -> Bool {
            (date, at, county.rawValue) < (other.date, other.at, other.county.rawValue)
        }
    }

    /// In date order, then by time, then by county number (``Entry``): never in the order they were recorded.
    private(set) var entries: [Entry] = []

    init(_ entries: [Entry] = []) {
        for entry in entries { record(entry) }
    }

    /// Adds an entry in its place by date, time and county number, whenever it arrives.
    mutating func record(_ entry: Entry) {
        let index = entries.firstIndex { entry.isOrdered(before: $0) } ?? entries.endIndex
        entries.insert(entry, at: index)
    }

    /// The county the youth lived in on `date`: the last entry dated on or before it, or, before the first, the
    /// first (where they lived before anyone told is not known; the first county told is the best guess). `nil`
    /// while nothing is known.
    func county(on date: LocalDate) -> County? {
        guard let first = entries.first else { return nil }
        return entries.last { $0.date <= date }?.county ?? first.county
    }

    /// The first day after `date` that the youth moves to a county other than `county`, and that county: a day
    /// whose county (its last entry: moving away and back on one day is no move) differs from the day before's.
    func firstMove(after date: LocalDate, from county: County) -> (date: LocalDate, county: County)? {
        var previous = self.county(on: date)
        var index = entries.firstIndex { $0.date > date } ?? entries.endIndex
        while index < entries.endIndex {
            let day = entries[index].date
            var last = index
            while last + 1 < entries.endIndex, entries[last + 1].date == day { last += 1 }
            let moved = entries[last].county
            if moved != previous && moved != county { return (day, moved) }
            previous = moved
            index = last + 1
        }
        return nil
    }

    // MARK: As stored

    /// The entries as `persons.residences` keeps them: `date,at,county` each, separated by `;`; `nil` when empty.
    var encoded: String? {
        guard !entries.isEmpty else { return nil }
        var text = StoredText(capacity: entries.count * 32)  // an entry is about 28 bytes
        for (index, entry) in entries.enumerated() {
            if index > 0 { text.appendASCII(";") }
            text.append(entry.date.description)
            text.appendField(String(entry.at))
            text.appendField(entry.county.rawValue)
        }
        return text.text
    }

    /// Reads ``encoded``. Read for every event of the person, so over the text's bytes in place. Entries of equal
    /// time that an earlier release kept in the order they arrived in take their place by county number.
    init(encoded: String?) throws {
        guard var text = encoded, !text.isEmpty else { return }
        self = try text.withUTF8 { try ResidenceHistory(encodedUTF8: $0) }
    }

    /// Reads ``encoded`` from its UTF-8 bytes (a column of the store, read in place), as ``init(encoded:)``.
    init(encodedUTF8 bytes: UnsafeBufferPointer<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        guard var entries = Self.parse(bytes) else {
            // Not the text itself: it is where a youth lived, and the error goes to a log and a dead-letter header.
            throw ContractError.invalidField(
                "persons.residences", reason: "\(bytes.count) bytes that are not date,time,county;…")
        }
        if zip(entries, entries.dropFirst()).contains(where: { $1.isOrdered(before: $0) }) {
            entries.sort { $0.isOrdered(before: $1) }
        }
        self.entries = entries
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [Entry]? {
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for index in start..<(start + count) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        var entries: [Entry] = []
        var index = 0
        while index < bytes.count {
            guard let year = digits(index, 4), let month = digits(index + 5, 2), let day = digits(index + 8, 2),
                bytes[index + 4] == UInt8(ascii: "-"), bytes[index + 7] == UInt8(ascii: "-"),
                index + 10 < bytes.count, bytes[index + 10] == UInt8(ascii: ","),
                let date = try? LocalDate(year: year, month: month, day: day)
            else { return nil }
            index += 11
            var at: Int64 = 0
            let atStart = index
            while index < bytes.count, (48...57).contains(bytes[index]), index - atStart < 18 {
                at = at * 10 + Int64(bytes[index] - 48)
                index += 1
            }
            guard index > atStart, index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
            let countyStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
            let code = String(decoding: UnsafeBufferPointer(rebasing: bytes[countyStart..<index]), as: UTF8.self)
            guard let county = County(rawValue: code) else { return nil }
            entries.append(Entry(date: date, at: at, county: county))
            index += 1  // past the `;`
        }
        return entries
    }
}
