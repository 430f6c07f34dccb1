/// Row ids by a hash of what the row holds (``ProcessedEventIndex``): (hash, row) pairs, any number of rows per hash
/// and of hashes per row (a row holding two events whose hashes are the same holds the pair twice), in one
/// open-addressing table.
///
/// The hashes are already random (`Hasher`, seeded per process), so a hash's low bits choose its slot directly: a
/// `Dictionary` hashed each again with `Hasher` (about 100 instructions, eleven times per processed event between
/// the lookups, the transaction's own rows and their joining the index at its commit), which was most of the index's
/// cost. Linear probing; a removal shifts the entries after it back (no tombstones), so a lookup stops at the first
/// empty slot. Row ids are SQLite rowids, never 0, which marks an empty slot.
struct RowsByHash {
    private var hashes: [Int] = []
    private var rows: [Int64] = []
    /// How many pairs it holds.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Every row with `hash`, in no particular order.
    func rows(_ hash: Int) -> [Int64] {
        guard count > 0 else { return [] }
        var found: [Int64] = []
        let mask = rows.count - 1
        var slot = hash & mask
        while rows[slot] != 0 {
            if hashes[slot] == hash { found.append(rows[slot]) }
            slot = (slot + 1) & mask
        }
        return found
    }

    /// Calls `body` with every row and its hash.
    func forEach(_ body: (Int, Int64) -> Void) {
        guard count > 0 else { return }
        for slot in rows.indices where rows[slot] != 0 { body(hashes[slot], rows[slot]) }
    }

    /// Adds the pair `row`, `hash` (once more, if it holds it already).
    mutating func insert(_ row: Int64, hash: Int) {
        precondition(row != 0, "row 0 marks an empty slot")
        if (count + 1) * 2 > rows.count { grow() }
        let mask = rows.count - 1
        var slot = hash & mask
        while rows[slot] != 0 { slot = (slot + 1) & mask }
        hashes[slot] = hash
        rows[slot] = row
        count += 1
    }

    /// Removes the pair `row`, `hash` (once, if it holds it more than once), if it is there.
    mutating func remove(_ row: Int64, hash: Int) {
        guard count > 0 else { return }
        let mask = rows.count - 1
        var slot = hash & mask
        while rows[slot] != row || hashes[slot] != hash {
            if rows[slot] == 0 { return }
            slot = (slot + 1) & mask
        }
        // Shift back every entry of the cluster after it that may live at the freed slot, so that no lookup stops
        // early at a gap.
        var gap = slot
        var next = (slot + 1) & mask
        while rows[next] != 0 {
            let home = hashes[next] & mask
            // The entry stays where it is if its home lies cyclically in (gap, next].
            let stays = gap <= next ? (gap < home && home <= next) : (gap < home || home <= next)
            if !stays {
                hashes[gap] = hashes[next]
                rows[gap] = rows[next]
                gap = next
            }
            next = (next + 1) & mask
        }
        rows[gap] = 0
        count -= 1
    }

    /// Removes every pair, keeping the table's room if it is small: a large transaction's would otherwise be
    /// held, and cleared slot by slot at every later commit.
    mutating func removeAll() {
        guard count > 0 else { return }
        count = 0
        guard rows.count <= Self.roomKept else {
            hashes = []
            rows = []
            return
        }
        for slot in rows.indices { rows[slot] = 0 }
    }

    /// The most slots ``removeAll()`` keeps (16 bytes each).
    static let roomKept = 1_024

    private mutating func grow() {
        let old = (hashes, rows)
        let capacity = max(16, rows.count * 2)
        hashes = [Int](repeating: 0, count: capacity)
        rows = [Int64](repeating: 0, count: capacity)
        count = 0
        for slot in old.1.indices where old.1[slot] != 0 { insert(old.1[slot], hash: old.0[slot]) }
    }
}
