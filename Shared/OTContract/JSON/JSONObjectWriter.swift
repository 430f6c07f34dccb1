import Foundation

/// The members of one JSON object, given by a payload that writes its own (``DirectJSONEncodable``) rather than
/// through an `Encoder`, and written as ``SortedJSONEncoder`` writes an object: compact, its members in the UTF-8
/// byte order of their names, an absent optional left out (as a synthesized `encodeIfPresent` leaves it).
public struct JSONObjectWriter {
    private enum Value {
        case string(String)
        case integer(Int)
        case bool(Bool)
    }

    /// Names are the payload's own, plain ASCII that needs no escape.
    private var members: [(name: StaticString, value: Value)] = []

    init() {
        // Room for a payload's members (the largest have about fifteen), instead of growing five times.
        members.reserveCapacity(16)
    }

    /// A string member.
    public mutating func string(_ name: StaticString, _ value: String) {
        members.append((name, .string(value)))
    }

    /// An optional string member, left out when absent.
    public mutating func optionalString(_ name: StaticString, _ value: String?) {
        if let value { string(name, value) }
    }

    /// A member written as one string (``JSONStringValue``).
    public mutating func value(_ name: StaticString, _ value: some JSONStringValue) {
        members.append((name, .string(value.jsonString)))
    }

    /// An optional member written as one string, left out when absent.
    public mutating func optional(_ name: StaticString, _ value: (some JSONStringValue)?) {
        if let value { self.value(name, value) }
    }

    /// An integer member.
    public mutating func integer(_ name: StaticString, _ value: Int) {
        members.append((name, .integer(value)))
    }

    /// A Boolean member.
    public mutating func bool(_ name: StaticString, _ value: Bool) {
        members.append((name, .bool(value)))
    }

    /// The object's JSON.
    func bytes() -> [UInt8] {
        // The members' order by name, sorted by insertion on the stack: a dozen members, most of them in order.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count) { order in
            for index in members.indices {
                var slot = index
                while slot > 0, Self.precedes(members[index].name, members[order[slot - 1]].name) {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = index
            }
            let order = UnsafeBufferPointer(order)
            return written(in: order, size: largestPlainSize()) ?? escaped(in: order)
        }
    }

    /// The size of the object's JSON if no string needs an escape (nearly always), its integers counted at their
    /// longest: a string's length in UTF-8 is known without reading its bytes.
    private func largestPlainSize() -> Int {
        var size = 2
        for member in members {
            size += member.name.utf8CodeUnitCount + 4
            switch member.value {
            case .string(let text): size += text.utf8.count + 2
            case .integer: size += 20
            case .bool: size += 5
            }
        }
        return size
    }

    /// The object's JSON written straight into an array of at most `size` bytes, every string copied whole; `nil`
    /// when a string needs an escape (each is checked as it is copied: one pass over its bytes).
    private func written(in order: UnsafeBufferPointer<Int>, size: Int) -> [UInt8]? {
        var plain = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var cursor = ByteCursor(buffer)
            cursor.put(UInt8(ascii: "{"))
            for slot in order.indices {
                let member = members[order[slot]]
                if slot > 0 { cursor.put(UInt8(ascii: ",")) }
                cursor.put(UInt8(ascii: "\""))
                cursor.put(member.name)
                cursor.put("\":")
                switch member.value {
                case .string(let text):
                    cursor.put(UInt8(ascii: "\""))
                    plain = cursor.put(plainUTF8Of: text)
                    cursor.put(UInt8(ascii: "\""))
                case .integer(let number): cursor.put(decimal: number)
                case .bool(let flag): cursor.put(flag ? "true" : "false")
                }
                if !plain { break }
            }
            cursor.put(UInt8(ascii: "}"))
            initialized = cursor.position
        }
        return plain ? bytes : nil
    }

    /// The object's JSON when some string needs an escape.
    private func escaped(in order: UnsafeBufferPointer<Int>) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{")
        var first = true
        for slot in order.indices {
            let member = members[order[slot]]
            writer.member(member.name, first: &first)
            switch member.value {
            case .string(let text): writer.writeString(text)
            case .integer(let number): writer.writeInteger(Int64(number))
            case .bool(let flag): writer.raw(flag ? "true" : "false")
            }
        }
        writer.raw("}")
        return writer.bytes
    }

    /// Whether `name` comes before `other` in UTF-8 byte order.
    private static func precedes(_ name: StaticString, _ other: StaticString) -> Bool {
        if name.hasPointerRepresentation, other.hasPointerRepresentation {
            // Every name a payload writes: compared where they lie, without a closure per name.
            let order = memcmp(name.utf8Start, other.utf8Start, min(name.utf8CodeUnitCount, other.utf8CodeUnitCount))
            return order != 0 ? order < 0 : name.utf8CodeUnitCount < other.utf8CodeUnitCount
        }
        return name.withUTF8Buffer { name in
            other.withUTF8Buffer { other in
                for offset in 0..<min(name.count, other.count) where name[offset] != other[offset] {
                    return name[offset] < other[offset]
                }
                return name.count < other.count
            }
        }
    }
}
