/// A small deterministic random number generator (SplitMix64): the same seed always gives the same numbers, on
/// every platform and in every process, so that a simulated stream can be reproduced byte for byte.
///
/// Not for anything secret: it is fast and well mixed, not unpredictable.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: Any value; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `true` with probability `probability` (0 to 1).
    public mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }

    /// A UUID-shaped identifier (version 4 layout, lowercase) made from the generator's bits: unique enough for
    /// event and correlation ids, and reproducible from the seed.
    public mutating func uuid() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        for (index, word) in [high, low].enumerated() {
            for nibble in (0..<16).reversed() {
                let position = index * 16 + (15 - nibble)
                if position == 8 || position == 12 || position == 16 || position == 20 {
                    bytes.append(UInt8(ascii: "-"))
                }
                bytes.append(hex[Int((word >> (UInt64(nibble) * 4)) & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A fixed set of choices with weights, drawn from with a random number generator.
struct WeightedChoice<Element: Sendable>: Sendable {
    private let elements: [Element]
    private let cumulative: [Double]

    /// Creates the choice from elements and their (positive) weights, which need not add up to anything.
    init(_ weighted: KeyValuePairs<Element, Double>) {
        self.init(weighted.map { ($0.key, $0.value) })
    }

    /// Creates the choice from elements and their (positive) weights.
    init(_ weighted: [(Element, Double)]) {
        precondition(!weighted.isEmpty && weighted.allSatisfy { $0.1 > 0 }, "a weighted choice needs positive weights")
        elements = weighted.map(\.0)
        var total = 0.0
        cumulative = weighted.map {
            total += $0.1
            return total
        }
    }

    /// One element, each with the probability of its share of the total weight.
    func draw(using generator: inout some RandomNumberGenerator) -> Element {
        let target = Double.random(in: 0..<cumulative[cumulative.count - 1], using: &generator)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return elements[low]
    }
}
