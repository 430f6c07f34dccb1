import Testing

@testable import OTContract

/// The members read in place (``JSONObjectFields``) against the tree ``TreeJSONDecoder`` parses: the same documents
/// accepted, and a name found as a Swift `String` finds it.
@Suite("An object's members read in place", .timeLimit(.minutes(2)))
struct JSONObjectFieldsTests {
    /// Whether the tree parser takes `json` as one well-formed document.
    static func treeAccepts(_ json: [UInt8]) -> Bool {
        (try? JSONReader.withReader(json) { (reader) throws(ContractError) in try reader.parseTreeDocument() }) != nil
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test("an object is accepted in place exactly when the tree parser accepts it, nesting limit included")
    func acceptance() {
        let limit = JSONReader.maximumDepth
        let documents: [[UInt8]] =
            [
                #"{}"#, #" { "a" : 1 , "b" : [true, false, null, {"c": "d"}] } "#, #"{"a":1,}"#, #"{"a" 1}"#,
                #"{"a":01}"#, #"{"a":-}"#, #"{"a":1.}"#, #"{"a":1e}"#, #"{"a":tru}"#, #"{"a":"\x"}"#,
                #"{"a":"\ud800"}"#, #"{"\udc00":1}"#, #"{"a":"é\u00e9"}"#, #"{"a":1}{"#, #"{"a":[1,]}"#,
                #"{"a":{"b":}}"#, "{\"a\":\"\t\"}", "{\"a\":[\"\u{1}\"]}",
                // The object itself counts as one level, as in the tree.
                "{\"a\":\(Self.nested(limit - 1))}", "{\"a\":\(Self.nested(limit))}",
            ].map { Array($0.utf8) } + [
                // Not UTF-8, inside a member no payload reads.
                Array(#"{"a":["#.utf8) + [0x22, 0xC3, 0x28, 0x22] + Array("]}".utf8),
                Array(#"{"a":"#.utf8) + [0x22, 0xFF, 0x22] + Array("}".utf8),
            ]
        var accepted = 0
        for json in documents {
            let inPlace = JSONObjectFields.reading(json) { _ in true } ?? false
            #expect(inPlace == Self.treeAccepts(json), "\(String(decoding: json, as: UTF8.self))")
            if inPlace { accepted += 1 }
        }
        // Both kinds are among them.
        #expect(accepted >= 4 && accepted < documents.count)
        // A document that is not an object is not read in place, well-formed or not.
        for json in ["[]", "1", "\"a\"", "null", ""] {
            #expect(JSONObjectFields.reading(Array(json.utf8)) { _ in true } == nil, "\(json)")
        }
    }

    @Test("a name is found as a Swift string finds it: the first of two, escaped, and a Kelvin sign for a K")
    func names() {
        func read(_ json: String, _ body: (JSONObjectFields) -> String?) -> String? {
            JSONObjectFields.reading(Array(json.utf8), body)
        }
        #expect(read(#"{"a":"1","a":"2"}"#) { $0.string("a") } == "1")
        #expect(read(#"{"ab":"1","a":"2"}"#) { $0.string("a") } == "2")
        #expect(read(#"{"\u0061":"1"}"#) { $0.string("a") } == "1")
        // U+212A KELVIN SIGN is canonically equivalent to "K", so equal as a Swift string, in other bytes.
        #expect(read(#"{"\u212A":"kelvin","K":"k"}"#) { $0.string("K") } == "kelvin")
        #expect(read(#"{"K":"k"}"#) { $0.string("k") } == nil)
        #expect(read(#"{"a":"x\u00e9\n"}"#) { $0.string("a") } == "xé\n")
        // Of another JSON type: nothing.
        #expect(read(#"{"a":1}"#) { $0.string("a") } == nil)
        #expect(read(#"{"a":{"b":"c"}}"#) { $0.string("a") } == nil)
        #expect(read(#"{"a":"1"}"#) { $0.int("a").map(String.init) } == nil)
        #expect(read(#"{"a":-12}"#) { $0.int("a").map(String.init) } == "-12")
        #expect(read(#"{"a":1.0}"#) { $0.int("a").map(String.init) } == nil)
        #expect(read(#"{"a":true}"#) { $0.bool("a").map { "\($0)" } } == "true")
    }

    @Test("members read from longer bytes are not trusted with shorter ones: those are read again")
    func membersOfOtherBytes() throws {
        let long = Array(#"{"name":"a rather long value","n":1}"#.utf8)
        let members = try #require(
            try JSONReader.withReader(long) { (reader) throws(ContractError) in try reader.parseMembersDocument() })
        #expect(members.end == long.count)
        let short = Array(#"{"name":"b"}"#.utf8)
        #expect(JSONObjectFields.reading(short, members: members) { $0.string("name") } == "b")
        #expect(JSONObjectFields.reading(long, members: members) { $0.int("n").map(String.init) } == "1")
    }
}
