import OTContract
import Testing

@Suite("Contract errors read well in a dead-letter header", .timeLimit(.minutes(2)))
struct ContractErrorTests {
    @Test(
        "each case says what is wrong and where",
        arguments: [
            (ContractError.missingAttribute("id"), "missing CloudEvents attribute 'id'"),
            (.invalidAttribute("time", reason: "x"), "invalid CloudEvents attribute 'time': x"),
            (.unsupportedSpecVersion("0.3"), "unsupported CloudEvents specversion '0.3' (expected '1.0')"),
            (.malformedJSON("bad"), "malformed JSON: bad"),
            (.unknownEventType(type: "a.b", topic: "t.v1"), "unknown event type 'a.b' for topic t.v1"),
            (.missingField("data.choices[0].schoolOrgNumber"), "missing field data.choices[0].schoolOrgNumber"),
            (.invalidField("data.x", reason: "y"), "invalid field data.x: y"),
            (.unknownCode(kind: "OT status code", value: "OTXX"), "unknown OT status code 'OTXX'"),
            (.unknownCode(kind: "k", value: "a\nb"), "unknown k 'a?b'"),
            (
                .unknownCode(kind: "k", value: String(repeating: "x", count: 100)),
                "unknown k '\(String(repeating: "x", count: 40))…'"
            ),
        ]
    )
    func descriptions(error: ContractError, text: String) {
        #expect(error.description == text)
        #expect(!error.description.contains("\n"))
    }

    @Test("a national ID quoted in a value is masked before the value is clipped, wherever the clip falls")
    func quotedIDMaskedBeforeClip() {
        // The clip keeps 40 characters: with 29 to 39 before the ID, it would cut the ID and leave 1 to 11 of its
        // digits, too few for a log's masking to recognise; beyond its first six (the birth date) none may show.
        for before in 29...39 {
            let value = String(repeating: "x", count: before) + "01820850056"
            let text = ContractError.unknownCode(kind: "k", value: value).description
            #expect(!text.contains("0182085"), "\(text)")
        }
        #expect(
            ContractError.invalidValue(kind: "k", value: "id 01820850056", reason: "r").description
                == "invalid k 'id 018208*****': r")
    }

    @Test("no message about an invalid national ID contains the number")
    func neverTheFullNumber() {
        for text in ["01820850057", "01820850066", "29820950001", "01818580017", "0182085005a1", "0182085005"] {
            do {
                _ = try NationalID(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(!error.description.contains(text), "\(error)")
                #expect(!error.description.contains(String(text.prefix(7))), "\(error)")
            }
        }
    }
}
