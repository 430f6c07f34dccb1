import Foundation
import Testing

@testable import OTContract

@Suite("Values written as one string: the light encoder and decoder agree with their Codable conformance", .timeLimit(.minutes(2)))
struct JSONStringValueTests {
    /// Every code of every code list is checked too, by `CodeListTests`.
    @Test("dates, instants, school years, identifiers, statistics periods and keys")
    func values() throws {
        try Self.check(Samples.localDate("2026-02-28"))
        try Self.check(SchoolYear("2026-2027"))
        try Self.check(Timestamp(rfc3339: "2026-12-04T08:13:41.250Z"))
        try Self.check(Samples.person)
        try Self.check(Samples.dNumberPerson)
        try Self.check(OrganizationNumber("974760673"))
        try Self.check(StatisticsPeriod.current)
        try Self.check(StatisticsPeriod.reportingDate(Samples.localDate("2027-02-01")))
        try Self.check(StatisticsKey(scope: .county, id: County.trondelag.rawValue, period: .current))
        try Self.check(StatisticsKey.national(.reportingDate(Samples.localDate("2027-06-15"))))
    }

    @Test("the table of string-valued types answers as the runtime's cast does, from many threads at once")
    func types() async {
        struct Plain: Codable {}
        // From the declarations: these conform to JSONStringValue, these do not.
        let stringValued: [Any.Type] = [LocalDate.self, SchoolYear.self, NationalID.self, County.self, Gender.self]
        // Enough types that the table grows several times.
        let others: [Any.Type] = [
            Int.self, String.self, Plain.self, [LocalDate].self, LocalDate?.self, Int8.self, Int16.self, Int32.self,
            Int64.self, UInt.self, UInt8.self, UInt16.self, UInt32.self, UInt64.self, Double.self, Float.self,
            Bool.self, [Int].self, [String].self, [Bool].self, Set<Int>.self, Set<String>.self, [String: Int].self,
            [String: String].self, Int?.self, String?.self, [[Int]].self, [Plain].self, Plain?.self, [SchoolYear].self,
            SchoolYear?.self, [String: LocalDate].self, [NationalID].self, NationalID?.self,
        ]
        func answers() -> [Bool] {
            stringValued.map { lookUp($0) != nil } + others.map { lookUp($0) != nil }
        }
        let expected = Array(repeating: true, count: stringValued.count) + Array(repeating: false, count: others.count)
        let results = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<8 { group.addTask { answers() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result == expected) }
        #expect(answers() == expected, "answered again from the table")
        #expect(lookUp(LocalDate.self) == LocalDate.self, "the type itself")
    }

    private func lookUp(_ type: Any.Type) -> (any JSONStringValue.Type)? {
        func open<T>(_ type: T.Type) -> (any JSONStringValue.Type)? { JSONStringValueTypes.stringValue(type) }
        return _openExistential(type, do: open)
    }

    @Test(
        "a string that is no such value is left to Foundation, which names the field",
        arguments: ["", "nope", "2026-02-30", "01820850057"])
    func invalid(text: String) throws {
        struct Holder: Codable {
            var date: LocalDate?
            var person: NationalID?
            var county: County?
        }
        for member in ["date", "person", "county"] {
            let json = Array(#"{"\#(member)":"\#(text)"}"#.utf8)
            #expect(TreeJSONDecoder.decode(Holder.self, from: json) == nil)
            do {
                _ = try ContractJSON.decode(Holder.self, from: json)
                Issue.record("\(member) '\(text)' decoded")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.codingPath.map(\.stringValue) == [member])
            }
        }
    }

    /// `value` is written as Foundation writes it, as a member and as an element, and read back the same by both
    /// decoders.
    static func check<Value: JSONStringValue & Codable & Equatable>(
        _ value: Value, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let foundation = Array(try JSONEncoder().encode(["value": [value]]))
        #expect(
            String(decoding: foundation, as: UTF8.self) == #"{"value":["\#(value.jsonString)"]}"#,
            sourceLocation: sourceLocation)
        #expect(try ContractJSON.encode(["value": [value]]) == foundation, sourceLocation: sourceLocation)
        #expect(try Value(jsonString: value.jsonString) == value, sourceLocation: sourceLocation)
        #expect(
            TreeJSONDecoder.decode([String: [Value]].self, from: foundation) == ["value": [value]],
            sourceLocation: sourceLocation)
    }
}
