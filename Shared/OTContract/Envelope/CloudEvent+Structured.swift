import Foundation

extension CloudEvent {
    /// The event in CloudEvents structured JSON mode: the whole event as one JSON object, `data` embedded as JSON.
    ///
    /// Send it as the Kafka message value with ``structuredHeaders`` (`content-type: application/cloudevents+json`).
    /// Attributes come in a fixed order (`specversion`, `id`, `source`, `type`, `time`, `datacontenttype`, `subject`,
    /// `correlationid`, the extensions by name, `data`).
    public func structuredJSON() -> [UInt8] {
        if extensions.isEmpty, let bytes = plainStructuredJSON() { return bytes }
        var writer = JSONWriter(capacity: 256 + (data?.count ?? 0))
        var first = true
        writer.raw("{")
        writer.member("specversion", first: &first)
        writer.writeString(Self.specVersion)
        writer.member("id", first: &first)
        writer.writeString(id)
        writer.member("source", first: &first)
        writer.writeString(source)
        writer.member("type", first: &first)
        writer.writeString(type)
        writer.member("time", first: &first)
        let wroteTime: Bool? = timeStamp.withRFC3339UTF8 { text in
            writer.raw("\"")
            writer.raw(text)
            writer.raw("\"")
            return true
        }
        if wroteTime == nil { writer.writeString(timeStamp.rfc3339) }
        writer.member("datacontenttype", first: &first)
        writer.writeString(dataContentType)
        if let subject {
            writer.member("subject", first: &first)
            writer.writeString(subject)
        }
        if let correlationID {
            writer.member("correlationid", first: &first)
            writer.writeString(correlationID)
        }
        if !extensions.isEmpty {
            for name in extensions.keys.sorted() where !Self.reservedAttributes.contains(name) {
                writer.member(name, first: &first)
                writer.write(extensions[name] ?? .null)
            }
        }
        if let data {
            writer.member("data", first: &first)
            writer.raw(data)
        }
        writer.raw("}")
        return writer.bytes
    }

    /// The same JSON for an event without extensions (every event the services emit), written straight into an
    /// array of its size: every attribute's length in UTF-8 is known before a byte is written. `nil` when a string
    /// needs an escape or the time's year does not fit four digits; ``structuredJSON()`` then writes it piece by piece.
    private func plainStructuredJSON() -> [UInt8]? {
        typealias Member = PlainMember
        let data = self.data
        var size = 2 + Member.time.utf8CodeUnitCount + 26  // the braces; the time's member, 24 characters and quotes
        size += Member.size(.specVersion, Self.specVersion) + Member.size(.id, id) + Member.size(.source, source)
        size += Member.size(.type, type) + Member.size(.dataContentType, dataContentType)
        if let subject { size += Member.size(.subject, subject) }
        if let correlationID { size += Member.size(.correlationID, correlationID) }
        if let data { size += Member.data.utf8CodeUnitCount + data.count }
        var plain = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var cursor = ByteCursor(buffer)
            cursor.put(UInt8(ascii: "{"))
            plain =
                Member.put(.specVersion, Self.specVersion, into: &cursor) && Member.put(.id, id, into: &cursor)
                && Member.put(.source, source, into: &cursor) && Member.put(.type, type, into: &cursor)
                && timeStamp.withRFC3339UTF8 { text in
                    cursor.put(Member.time)
                    cursor.put(UInt8(ascii: "\""))
                    cursor.put(text)
                    cursor.put(UInt8(ascii: "\""))
                    return true
                } ?? false
                && Member.put(.dataContentType, dataContentType, into: &cursor)
                && (subject.map { Member.put(.subject, $0, into: &cursor) } ?? true)
                && (correlationID.map { Member.put(.correlationID, $0, into: &cursor) } ?? true)
            if plain, let data {
                cursor.put(Member.data)
                data.withUnsafeBufferPointer { cursor.put($0) }
            }
            if plain { cursor.put(UInt8(ascii: "}")) }
            initialized = cursor.position
        }
        return plain ? bytes : nil
    }

    /// Reads a structured-mode event: the whole event as one JSON object.
    ///
    /// One pass over the bytes, in place: the contract's attributes are matched by their bytes, plain ASCII values
    /// become strings straight from them (`time` is parsed without one), `data` is checked and copied as it came,
    /// and only unknown extension attributes are parsed into ``JSONValue``s.
    /// - Throws: ``ContractError`` naming the attribute that is missing or invalid, or
    ///   ``ContractError/malformedJSON(_:)``.
    public init(structuredJSON bytes: some Collection<UInt8>) throws(ContractError) {
        self = try JSONReader.withReader(bytes) { (reader) throws(ContractError) in
            try CloudEvent(structured: &reader)
        }
    }

    /// Reads a structured-mode event from an array: as the generic form, without its generic dispatch from
    /// outside this module.
    public init(structuredJSON bytes: [UInt8]) throws(ContractError) {
        self = try bytes.withUnsafeBufferPointer(Self.decodeStructured)
    }

    /// Reads a structured-mode event from a slice of an array, such as a consumed message's value: as the generic
    /// form, without its generic dispatch from outside this module.
    public init(structuredJSON bytes: ArraySlice<UInt8>) throws(ContractError) {
        self = try bytes.withUnsafeBufferPointer(Self.decodeStructured)
    }

    /// Returned as it is made, not through a `Result`, whose `get()` copied the event (a retain and a release of
    /// each of its fields).
    private static func decodeStructured(_ bytes: UnsafeBufferPointer<UInt8>) throws(ContractError) -> CloudEvent {
        var reader = JSONReader(bytes)
        return try CloudEvent(structured: &reader)
    }

    private init(structured reader: inout JSONReader) throws(ContractError) {
        var attributes = StructuredAttributes()
        try reader.readTopLevelObject { (reader, name) throws(ContractError) in
            try attributes.read(name, from: &reader)
        }

        let specVersion = try attributes.required(.specversion, reader)
        guard reader.equals(specVersion, "1.0") else {
            throw .unsupportedSpecVersion(reader.string(specVersion))
        }
        let dataContentType: String
        if let token = try attributes.optional(.datacontenttype) {
            // Every event takes this path: the common exact value without building a string.
            dataContentType =
                reader.equals(token, "application/json") ? Self.jsonContentType : reader.string(token)
        } else {
            dataContentType = Self.jsonContentType
        }
        try Self.checkJSONContentType(dataContentType)
        var data = attributes.data.map { Array(reader.bytes(in: $0)) }
        if let dataBase64 = attributes.dataBase64, dataBase64 != .null {
            guard data == nil else { throw .invalidAttribute("data_base64", reason: "must not come with data") }
            guard case .string(let text) = dataBase64, let decoded = Data(base64Encoded: text) else {
                throw .invalidAttribute("data_base64", reason: "expected a base64 string")
            }
            data = Array(decoded)
            try Self.checkJSONData(data)
        }

        // In the order the attributes have always been checked in, so that an event breaking several rules gets the
        // same error as before.
        let id = reader.string(try attributes.required(.id, reader))
        let source = reader.string(try attributes.required(.source, reader))
        let type = reader.string(try attributes.required(.type, reader))
        let subject = try attributes.optional(.subject).map { reader.string($0) }
        let correlationID = try attributes.optional(.correlationid).map { reader.string($0) }
        try Self.checkSource(source)
        let time = try attributes.required(.time, reader)
        let timeStamp: Timestamp
        if case .ascii(let range) = time,
            case .success(let milliseconds) = Timestamp.milliseconds(rfc3339: reader.bytes(in: range))
        {
            timeStamp = Timestamp(millisecondsSince1970: milliseconds)
        } else {
            timeStamp = try Self.parseTime(reader.string(time))
        }
        self.init(
            id: id, source: source, type: type, timeStamp: timeStamp, dataContentType: dataContentType,
            subject: subject, correlationID: correlationID, extensions: attributes.extensions,
            data: CloudEventData(data, members: attributes.dataMembers))
    }
}

/// The attributes of a structured-mode event as one pass over its bytes finds them: the contract's by their position
/// in the reader's bytes, unknown extensions parsed.
private struct StructuredAttributes {
    /// The attributes the spec and this contract name (``CloudEvent/reservedAttributes``).
    enum Name: Int, CaseIterable {
        case specversion, id, source, type, time, datacontenttype, subject, correlationid, data, dataBase64

        var text: StaticString {
            switch self {
            case .specversion: "specversion"
            case .id: "id"
            case .source: "source"
            case .type: "type"
            case .time: "time"
            case .datacontenttype: "datacontenttype"
            case .subject: "subject"
            case .correlationid: "correlationid"
            case .data: "data"
            case .dataBase64: "data_base64"
            }
        }

        var string: String { text.description }

        /// The name `token` spells, if it is one of these.
        init?(_ token: JSONReader.StringToken, in reader: JSONReader) {
            let candidate: Name?
            if case .ascii(let range) = token {
                // The one candidate its length and first bytes leave, confirmed below.
                let bytes = reader.bytes(in: range)
                switch range.count {
                case 2: candidate = .id
                case 4:
                    candidate = bytes[0] == UInt8(ascii: "d") ? .data : bytes[1] == UInt8(ascii: "y") ? .type : .time
                case 6: candidate = .source
                case 7: candidate = .subject
                case 11: candidate = bytes[0] == UInt8(ascii: "d") ? .dataBase64 : .specversion
                case 13: candidate = .correlationid
                case 15: candidate = .datacontenttype
                default: candidate = nil
                }
            } else {
                candidate = Self.allCases.first { reader.equals(token, $0.text) }
            }
            guard let candidate, reader.equals(token, candidate.text) else { return nil }
            self = candidate
        }
    }

    /// A string-valued attribute as found.
    enum Value {
        /// A string.
        case string(JSONReader.StringToken)
        /// Another JSON type (`null` is taken as absent), for the error naming it.
        case other(JSONValue)
    }

    private var specversion: Value?
    private var id: Value?
    private var source: Value?
    private var type: Value?
    private var time: Value?
    private var datacontenttype: Value?
    private var subject: Value?
    private var correlationid: Value?
    private var seen: UInt16 = 0
    private var extensionNames: Set<String> = []
    /// The unknown attributes that are not `null`.
    private(set) var extensions: [String: JSONValue] = [:]
    /// The range of `data`'s bytes, unless it is absent or `null`.
    private(set) var data: Range<Int>?
    /// The members of `data`'s object, counted from its first byte, when it is one.
    private(set) var dataMembers: JSONReader.ObjectMembers?
    /// `data_base64` as found.
    private(set) var dataBase64: JSONValue?

    /// Reads the value of the member `name`; a member may appear once.
    mutating func read(_ token: JSONReader.StringToken, from reader: inout JSONReader) throws(ContractError) {
        guard let name = Name(token, in: reader) else {
            let name = reader.string(token)
            guard extensionNames.insert(name).inserted else {
                throw .invalidAttribute(name, reason: "appears more than once")
            }
            let value = try reader.parseValue()
            if value != .null { extensions[name] = value }
            return
        }
        let bit: UInt16 = 1 << name.rawValue
        guard seen & bit == 0 else { throw .invalidAttribute(name.string, reason: "appears more than once") }
        seen |= bit
        switch name {
        case .data:
            let start = reader.index
            // An object (every payload of the contract) is read into its members as it is checked, for the payload's
            // decoding; anything else is only checked.
            if reader.peek() == UInt8(ascii: "{") {
                dataMembers = try reader.parseObjectMembers(from: start)
            } else {
                try reader.skipValue()
            }
            let range = start..<reader.index
            data = reader.bytes(in: range, equal: "null") ? nil : range
        case .dataBase64:
            dataBase64 = try reader.parseValue()
        default:
            if reader.peek() == UInt8(ascii: "\"") {
                self[name] = .string(try reader.readString())
            } else {
                let value = try reader.parseValue()
                self[name] = value == .null ? nil : .other(value)
            }
        }
    }

    /// The value of a string attribute.
    private subscript(name: Name) -> Value? {
        get {
            switch name {
            case .specversion: specversion
            case .id: id
            case .source: source
            case .type: type
            case .time: time
            case .datacontenttype: datacontenttype
            case .subject: subject
            case .correlationid: correlationid
            case .data, .dataBase64: nil
            }
        }
        set {
            switch name {
            case .specversion: specversion = newValue
            case .id: id = newValue
            case .source: source = newValue
            case .type: type = newValue
            case .time: time = newValue
            case .datacontenttype: datacontenttype = newValue
            case .subject: subject = newValue
            case .correlationid: correlationid = newValue
            case .data, .dataBase64: break
            }
        }
    }

    /// A string attribute, or `nil` when it is absent or `null`.
    func optional(_ name: Name) throws(ContractError) -> JSONReader.StringToken? {
        switch self[name] {
        case nil: nil
        case .string(let token)?: token
        case .other(let value)?:
            throw .invalidAttribute(name.string, reason: "expected a string, found \(value.typeDescription)")
        }
    }

    /// A string attribute that must be present and not empty.
    func required(_ name: Name, _ reader: JSONReader) throws(ContractError) -> JSONReader.StringToken {
        guard let token = try optional(name) else { throw .missingAttribute(name.string) }
        guard !reader.isEmpty(token) else { throw .invalidAttribute(name.string, reason: "must not be empty") }
        return token
    }
}

extension CloudEvent {
    /// Parses the `time` attribute.
    static func parseTime(_ text: String) throws(ContractError) -> Timestamp {
        do {
            return try Timestamp(rfc3339: text)
        } catch {
            throw .invalidAttribute("time", reason: "'\(ContractError.clip(text))' is not an RFC 3339 timestamp")
        }
    }

    /// `source` must be a URI reference: non-empty, no spaces or control characters.
    static func checkSource(_ source: String) throws(ContractError) {
        // Over the bytes: `contains(where:)` over a `String.UTF8View` took about 640 instructions for a short URI.
        var source = source
        guard !source.withUTF8({ $0.contains { $0 <= 0x20 || $0 == 0x7F } }) else {
            throw .invalidAttribute("source", reason: "must be a URI reference without spaces")
        }
    }

    /// Only JSON payloads are part of the contract: `application/json` or a `+json` type, with any parameters.
    static func checkJSONContentType(_ contentType: String) throws(ContractError) {
        // Every event takes this path: the common exact value first, without Foundation's string machinery.
        if contentType == jsonContentType { return }
        let mediaType = mediaType(of: contentType)
        guard mediaType == jsonContentType || mediaType.hasSuffix("+json") else {
            throw .invalidAttribute(
                "datacontenttype", reason: "'\(ContractError.clip(contentType))' is not a JSON media type")
        }
    }

    /// Data that did not arrive embedded in a JSON document must be checked to be JSON before it is kept.
    static func checkJSONData(_ data: [UInt8]?) throws(ContractError) {
        guard let data else { return }
        do throws(ContractError) {
            try JSONReader.withReader(data) { (reader) throws(ContractError) in try reader.validateDocument() }
        } catch {
            throw .malformedJSON("data: \(error.reason)")
        }
    }
}

extension ContractError {
    /// The reason of a ``ContractError/malformedJSON(_:)``, or the whole description otherwise.
    var reason: String {
        if case .malformedJSON(let reason) = self { reason } else { description }
    }
}

extension CloudEvent {
    /// The media type of a content type, without parameters or surrounding spaces, lowercased:
    /// `Application/JSON; charset=utf-8` gives `application/json`.
    static func mediaType(of contentType: String) -> String {
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let trimmed = type.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        var end = trimmed.endIndex
        while end > trimmed.startIndex {
            let previous = trimmed.index(before: end)
            guard trimmed[previous] == UInt8(ascii: " ") || trimmed[previous] == UInt8(ascii: "\t") else { break }
            end = previous
        }
        return String(decoding: trimmed[trimmed.startIndex..<end], as: UTF8.self).lowercased()
    }
}
