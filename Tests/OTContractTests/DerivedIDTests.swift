import Testing

@testable import OTContract

/// Derived ids must never change from one release to the next: a restored or replayed store emits again what it
/// emitted before, and consumers recognise it by its id.
@Suite("Derived event ids", .timeLimit(.minutes(2)))
struct DerivedIDTests {
    /// Computed from the documented construction (FNV-1a 64 and a second multiplicative hash of the UTF-8 bytes,
    /// SplitMix64's finaliser, UUID version 8 with the RFC 9562 variant) by a separate implementation in Python.
    @Test(
        "the ids of known causes",
        arguments: [
            ("", "f52a15e9-a9b5-889b-a924-17dcc0d778ab"),
            ("a", "8097ca68-b9cc-897b-97c0-321d6c0ef625"),
            ("vigo-opptak\u{1F}3f1c2d4e-0000-4000-8000-000000000001\u{1F}1", "41be0035-9ce2-8d92-92a7-13d5d72a4237"),
            ("vigo-opptak\u{1F}3f1c2d4e-0000-4000-8000-000000000001\u{1F}12", "ae239593-f89e-8111-a647-e15302f5e06b"),
            ("tick\u{1F}3\u{1F}1733360000000\u{1F}1", "eae78123-66b1-8694-8331-5b12b34898d3"),
            ("øst", "e21fddb1-7e4b-8d0d-a3fe-c1642e7f11c0"),
        ])
    func known(cause: String, id: String) {
        #expect(CloudEvent.derivedID(from: cause) == id)
    }

    @Test("a cause hashed in pieces, with its numbers as decimal digits, gives the id of the whole text")
    func pieces() {
        for number in [0, 1, 9, 10, 12, 99, 100, 1_000_000, Int.max, -1, -10, Int.min] {
            var hasher = CloudEvent.DerivedIDHasher()
            hasher.combine("urn:ot:registrations")
            hasher.combine(byte: 0x1F)
            hasher.combine("øst-id")
            hasher.combine(byte: 0x1F)
            let shared = hasher
            hasher.combine(decimal: number)
            #expect(hasher.id == CloudEvent.derivedID(from: "urn:ot:registrations\u{1F}øst-id\u{1F}\(number)"))
            var again = shared
            again.combine(decimal: number)
            #expect(again.id == hasher.id, "a copy goes on from the shared beginning")
        }
    }
}
