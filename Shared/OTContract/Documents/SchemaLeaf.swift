/// A type the contract writes as one JSON value (a string, a number, a Boolean) with a format of its own: its JSON
/// Schema, and a value of it for ``SchemaDecoder`` to hand the payload being described.
///
/// Code lists (``CodeList``) need no conformance: their schema is the list of their codes.
protocol SchemaLeaf: Decodable {
    /// The JSON Schema of the type's values.
    static var jsonSchema: DocumentNode { get }
    /// Any valid value, for a payload's `init(from:)` to be handed while its schema is recorded.
    static func placeholder() throws(ContractError) -> Self
}

extension String: SchemaLeaf {
    static var jsonSchema: DocumentNode { .object(["type": "string"]) }
    static func placeholder() -> String { "" }
}

extension Bool: SchemaLeaf {
    static var jsonSchema: DocumentNode { .object(["type": "boolean"]) }
    static func placeholder() -> Bool { false }
}

extension Int: SchemaLeaf {
    static var jsonSchema: DocumentNode { .object(["type": "integer"]) }
    static func placeholder() -> Int { 0 }
}

extension Int64: SchemaLeaf {
    static var jsonSchema: DocumentNode { .object(["type": "integer"]) }
    static func placeholder() -> Int64 { 0 }
}

extension Double: SchemaLeaf {
    static var jsonSchema: DocumentNode { .object(["type": "number"]) }
    static func placeholder() -> Double { 0 }
}

extension NationalID: SchemaLeaf {
    /// Eleven digits whose day (01–31, or 41–71 for a D-number) and month (01–12, 41–52 for an H-number, 81–92
    /// for a synthetic test number) are in range; the check digits and the birth date's existence are left to the
    /// Swift contract, which a JSON Schema pattern cannot express.
    static var jsonSchema: DocumentNode {
        .object([
            "type": "string",
            "pattern":
                "^(0[1-9]|[12][0-9]|3[01]|4[1-9]|[56][0-9]|7[01])(0[1-9]|1[0-2]|4[1-9]|5[0-2]|8[1-9]|9[0-2])[0-9]{7}$",
            "description": """
            A Norwegian national ID (fødselsnummer, D-number or synthetic test number): 11 digits DDMMYYIIIKK. \
            The check digits (both schemes, before and from 2032) are checked by the Swift contract \
            (otctl validate), not by this pattern. Never log it unmasked.
            """,
        ])
    }

    static func placeholder() throws(ContractError) -> NationalID { try NationalID("01820850056") }
}

extension OrganizationNumber: SchemaLeaf {
    static var jsonSchema: DocumentNode {
        .object([
            "type": "string", "pattern": "^[0-9]{9}$",
            "description": "A Norwegian organisation number (organisasjonsnummer): 9 digits.",
        ])
    }

    static func placeholder() -> OrganizationNumber { "974567890" }
}

extension LocalDate: SchemaLeaf {
    static var jsonSchema: DocumentNode {
        .object([
            "type": "string", "format": "date", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "description": "A calendar date, YYYY-MM-DD.",
        ])
    }

    static func placeholder() -> LocalDate { LocalDate(unchecked: 2026, 8, 1) }
}

extension SchoolYear: SchemaLeaf {
    static var jsonSchema: DocumentNode {
        .object([
            "type": "string", "pattern": "^[0-9]{4}-[0-9]{4}$",
            "description":
                "A school year (1 August – 31 July), YYYY-YYYY with the second year after the first: 2026-2027.",
        ])
    }

    static func placeholder() -> SchoolYear { SchoolYear(startYear: 2026) }
}

extension Timestamp: SchemaLeaf {
    static var jsonSchema: DocumentNode {
        .object([
            "type": "string", "format": "date-time", "pattern": .string(rfc3339Pattern),
            "description": "An instant, RFC 3339 (written in UTC with milliseconds: 2026-03-01T09:30:00.000Z).",
        ])
    }

    /// An RFC 3339 `date-time` as ``Timestamp/init(rfc3339:)`` reads it.
    static let rfc3339Pattern =
        "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
        + "(\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"

    static func placeholder() -> Timestamp { Timestamp(millisecondsSince1970: 0) }
}

extension OTStatusGroup: SchemaLeaf {
    static var jsonSchema: DocumentNode {
        .object([
            "type": "integer", "enum": .array(allCases.map { .integer(Int64($0.rawValue)) }),
            "description": .string(
                "An OT status group: "
                    + allCases.map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ") + "."),
        ])
    }

    static func placeholder() -> OTStatusGroup { .ukjentAktivitet }
}

extension StatisticsKey: SchemaLeaf {
    static var jsonSchema: DocumentNode {
        .object([
            "type": "string", "pattern": "^(unit|county|national):[^:]+:(current|[0-9]{4}-[0-9]{2}-[0-9]{2})$",
            "description": "{scope}:{id}:{period}, such as county:50:current or national:all:2026-06-15.",
        ])
    }

    static func placeholder() -> StatisticsKey { .national(.current) }
}
