/// What is wrong with a message, a payload or a value of the event contract.
///
/// Every case says precisely what failed and where (the CloudEvents attribute, the payload field path such as
/// `data.choices[0].schoolOrgNumber`, the code list), so that ``description`` can go straight into a log line or a
/// dead-letter header.
///
/// - Important: No case ever holds a full national ID: ``invalidNationalID(_:)`` and field errors about a national
///   ID show it masked (``NationalID/masked``). Values echoed from input are clipped to a short prefix.
public enum ContractError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A required CloudEvents attribute (`id`, `source`, `type`, `time`, `specversion`, `data`) is absent or null.
    case missingAttribute(String)
    /// A CloudEvents attribute is present but ill-typed or ill-formed.
    case invalidAttribute(String, reason: String)
    /// The `specversion` attribute is not `1.0`.
    case unsupportedSpecVersion(String)
    /// The bytes are not well-formed JSON (RFC 8259).
    case malformedJSON(String)
    /// The event's `type` is not one of the types the topic carries.
    case unknownEventType(type: String, topic: String)
    /// The event was decoded as one payload type but carries another.
    case unexpectedEventType(expected: String, actual: String)
    /// A required payload field is absent or null; the path names it, such as `data.choices[0].schoolOrgNumber`.
    case missingField(String)
    /// A payload field is present but ill-typed or invalid; the path names it.
    case invalidField(String, reason: String)
    /// A national ID (fødselsnummer or D-number) is invalid; the reason shows the number masked, never in full.
    case invalidNationalID(String)
    /// A value is not in its code list, for example an OT status code `OTXX`.
    case unknownCode(kind: String, value: String)
    /// A known code is not valid on the date it is used for, for example `OTVF` before it came into use.
    case codeNotValid(kind: String, code: String, date: LocalDate)
    /// A value of a contract type (a date, a timestamp, a school year, an organisation number) is ill-formed.
    case invalidValue(kind: String, value: String, reason: String)
    /// A payload could not be encoded to JSON.
    case encodingFailed(String)

    /// A one-line, human-readable account of the error, fit for a log line or a dead-letter header.
    public var description: String {
        switch self {
        case .missingAttribute(let name):
            "missing CloudEvents attribute '\(name)'"
        case .invalidAttribute(let name, let reason):
            "invalid CloudEvents attribute '\(name)': \(reason)"
        case .unsupportedSpecVersion(let version):
            "unsupported CloudEvents specversion '\(Self.clip(version))' (expected '1.0')"
        case .malformedJSON(let reason):
            "malformed JSON: \(reason)"
        case .unknownEventType(let type, let topic):
            "unknown event type '\(Self.clip(type))' for topic \(topic)"
        case .unexpectedEventType(let expected, let actual):
            "event type '\(Self.clip(actual))' where '\(expected)' was expected"
        case .missingField(let path):
            "missing field \(path)"
        case .invalidField(let path, let reason):
            "invalid field \(path): \(reason)"
        case .invalidNationalID(let reason):
            "invalid national ID: \(reason)"
        case .unknownCode(let kind, let value):
            "unknown \(kind) '\(Self.clip(value))'"
        case .codeNotValid(let kind, let code, let date):
            "\(kind) '\(code)' is not valid on \(date)"
        case .invalidValue(let kind, let value, let reason):
            "invalid \(kind) '\(Self.clip(value))': \(reason)"
        case .encodingFailed(let reason):
            "cannot encode payload: \(reason)"
        }
    }

    /// Clips a value taken from input so that an error message stays one short line, national IDs in it masked
    /// first: a clip inside one would leave a run of digits too short for the masking of the logs to find.
    static func clip(_ value: String, to limit: Int = 40) -> String {
        let printable = String(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        let masked = NationalID.maskingAll(in: printable)
        return masked.count <= limit ? masked : masked.prefix(limit) + "…"
    }
}
