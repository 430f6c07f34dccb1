import OTContract
import Testing

@Suite("JSON reading and writing", .timeLimit(.minutes(2)))
struct JSONValueTests {
    @Test("strings with escapes, surrogate pairs and non-ASCII text read and write back")
    func strings() throws {
        let value = try JSONValue(
            parsing: Array(#"{"a":"x\"\\\/\n\t\u00e6\ud83d\ude00ø","b":[1,-2.5e3,true,null]}"#.utf8))
        #expect(value["a"] == .string("x\"\\/\n\tæ😀ø"))
        #expect(value["b"] == [1, -2500, true, nil])
        #expect(try JSONValue(parsing: Array(value.description.utf8)) == value)
        #expect(JSONValue.string("\u{01}").description == #""\u0001""#)
    }

    @Test(
        "malformed JSON is rejected",
        arguments: [
            "", "{", "[1,]", "{\"a\":}", "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "tru", "{\"a\" 1}", "[1] [2]",
            "\"\u{01}\"", "NaN", "{'a':1}",
        ]
    )
    func malformed(text: String) {
        #expect(throws: ContractError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test("invalid UTF-8 and deep nesting are rejected")
    func hostile() {
        #expect(throws: ContractError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: ContractError.self) { try JSONValue(parsing: Array(deep.utf8)) }
        let deepEvent = #"{"specversion":"1.0","data":"# + deep + "}"
        #expect(throws: ContractError.self) { try CloudEvent(structuredJSON: Array(deepEvent.utf8)) }
    }
}
