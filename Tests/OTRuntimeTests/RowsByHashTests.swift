import Testing

@testable import OTRuntime

/// The processed-event index's table of rows by hash, against a plain set of pairs: many rows per hash, clusters that
/// wrap around the table's end, removals inside clusters, growth.
@Suite("Rows by hash: an open-addressing table of (hash, row) pairs", .timeLimit(.minutes(2)))
struct RowsByHashTests {
    /// A reproducible sequence of numbers (a 64-bit linear congruential generator).
    private struct Numbers {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(
        "every insert and removal agrees with a set of pairs",
        arguments: [
            (hashes: 4, operations: 2_000), (hashes: 64, operations: 5_000), (hashes: 1 << 40, operations: 5_000),
        ])
    func agreesWithASet(hashes: Int, operations: Int) {
        var table = RowsByHash()
        var model: [Pair] = []
        var numbers = Numbers(state: UInt64(truncatingIfNeeded: hashes))
        var nextRow: Int64 = 1
        for _ in 0..<operations {
            // Hashes near the top of the table's range too: their clusters wrap around to the first slots.
            let hash = numbers.next(2) == 0 ? numbers.next(hashes) : -1 - numbers.next(hashes)
            if numbers.next(3) < 2 || model.isEmpty {
                table.insert(nextRow, hash: hash)
                model.append(Pair(hash: hash, row: nextRow))
                nextRow += 1
            } else {
                let victim = model.remove(at: numbers.next(model.count))
                table.remove(victim.row, hash: victim.hash)
            }
            #expect(table.count == model.count)
            #expect(Set(table.rows(hash)) == Set(model.filter { $0.hash == hash }.map(\.row)), "hash \(hash)")
        }
        for hash in Set(model.map(\.hash)) {
            #expect(Set(table.rows(hash)) == Set(model.filter { $0.hash == hash }.map(\.row)), "hash \(hash)")
        }
        var all = Set<Pair>()
        table.forEach { all.insert(Pair(hash: $0, row: $1)) }
        #expect(all == Set(model))
    }

    @Test("removing a pair it does not hold changes nothing; removing everything leaves it empty and usable")
    func removals() {
        var table = RowsByHash()
        for row in 1...100 { table.insert(Int64(row), hash: row % 7) }
        table.remove(5, hash: 6)  // row 5 has hash 5
        table.remove(1_000, hash: 1)
        #expect(table.count == 100)
        #expect(Set(table.rows(5)) == Set((1...100).filter { $0 % 7 == 5 }.map(Int64.init)))
        table.removeAll()
        #expect(table.isEmpty && table.rows(5).isEmpty)
        table.insert(7, hash: 5)
        #expect(table.rows(5) == [7])

        // A large table's room is given back: empty, then usable again.
        for row in 1...(2 * RowsByHash.roomKept) { table.insert(Int64(row + 7), hash: row) }
        table.removeAll()
        #expect(table.isEmpty && table.rows(5).isEmpty)
        table.insert(3, hash: 5)
        #expect(table.rows(5) == [3] && table.count == 1)
    }

    private struct Pair: Hashable {
        var hash: Int
        var row: Int64
    }
}
