extension CloudEvent {
    /// ``CloudEvent/derivedID(from:)``'s hash, fed a cause's UTF-8 bytes in pieces: the ids of causes that share a
    /// beginning (an input event's outputs, `<source>` U+001F `<id>` U+001F `<n>`) hash the beginning once and go on
    /// from a copy, without putting each cause's text together.
    public struct DerivedIDHasher: Sendable {
        private var first: UInt64 = 0xcbf2_9ce4_8422_2325
        private var second: UInt64 = 0x6c62_272e_07bb_0142
        private var count: UInt64 = 0

        public init() {}

        /// Goes on with `text`'s UTF-8 bytes.
        public mutating func combine(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                for byte in bytes { combine(byte: byte) }
            }
        }

        /// Goes on with one byte.
        public mutating func combine(byte: UInt8) {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte)) &* 0x9E37_79B9_7F4A_7C15
            second = second << 29 | second >> 35
            count &+= 1
        }

        /// Goes on with `value`'s decimal digits, as `"\(value)"` writes them.
        public mutating func combine(decimal value: Int) {
            if value < 0 { combine(byte: UInt8(ascii: "-")) }
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for the 20 digits of the largest magnitude
            withUnsafeMutableBytes(of: &digits) { buffer in
                var magnitude = value.magnitude
                var end = buffer.count
                repeat {
                    end -= 1
                    buffer[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                for index in end..<buffer.count { combine(byte: buffer[index]) }
            }
        }

        /// The id of the bytes so far.
        public var id: String {
            CloudEvent.uuidText(high: Self.mix(first ^ count), low: Self.mix(second), version: 8)
        }

        /// SplitMix64's finaliser: every input bit affects every output bit.
        static func mix(_ value: UInt64) -> UInt64 {
            var z = value
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
