extension CloudEvent {
    /// The members ``structuredJSON()`` writes in one pass for an event without extensions: each name in quotes with
    /// its colon, after a comma where one is needed. The size worked out before the write and the write itself take
    /// the names from here, so that the two cannot differ.
    struct PlainMember {
        let name: StaticString

        static var specVersion: PlainMember { PlainMember(name: #""specversion":"#) }
        static var id: PlainMember { PlainMember(name: #","id":"#) }
        static var source: PlainMember { PlainMember(name: #","source":"#) }
        static var type: PlainMember { PlainMember(name: #","type":"#) }
        static var dataContentType: PlainMember { PlainMember(name: #","datacontenttype":"#) }
        static var subject: PlainMember { PlainMember(name: #","subject":"#) }
        static var correlationID: PlainMember { PlainMember(name: #","correlationid":"#) }
        /// The time's member name, its value written from ``Timestamp`` bytes.
        static var time: StaticString { #","time":"# }
        /// The data's member name, its value the payload's JSON as it is.
        static var data: StaticString { #","data":"# }

        /// The size of `member` with the string `value`: its name, the value's UTF-8 and two quotes.
        static func size(_ member: PlainMember, _ value: String) -> Int {
            member.name.utf8CodeUnitCount + value.utf8.count + 2
        }

        /// Writes `member` with the string `value` in quotes; `false`, the value unwritten, when it needs an escape.
        static func put(_ member: PlainMember, _ value: String, into cursor: inout ByteCursor) -> Bool {
            cursor.put(member.name)
            cursor.put(UInt8(ascii: "\""))
            guard cursor.put(plainUTF8Of: value) else { return false }
            cursor.put(UInt8(ascii: "\""))
            return true
        }
    }
}
