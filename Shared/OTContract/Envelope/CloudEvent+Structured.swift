import Foundation

extension CloudEvent {
    /// The event in CloudEvents structured JSON mode: the whole event as one JSON object, `data` embedded as JSON.
    ///
    /// Send it as the Kafka message value with ``structuredHeaders`` (`content-type: application/cloudevents+json`).
    /// Attributes come in a fixed order (`specversion`, `id`, `source`, `type`, `time`, `datacontenttype`, `subject`,
    /// `correlationid`, the extensions by name, `data`).
    public func structuredJSON() -> [UInt8] {
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
        writer.writeString(timeStamp.rfc3339)
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
        for name in extensions.keys.sorted() where !Self.reservedAttributes.contains(name) {
            writer.member(name, first: &first)
            writer.write(extensions[name] ?? .null)
        }
        if let data {
            writer.member("data", first: &first)
            writer.raw(data)
        }
        writer.raw("}")
        return writer.bytes
    }

    /// Reads a structured-mode event: the whole event as one JSON object.
    /// - Throws: ``ContractError`` naming the attribute that is missing or invalid, or
    ///   ``ContractError/malformedJSON(_:)``.
    public init(structuredJSON bytes: some Collection<UInt8>) throws(ContractError) {
        var reader = JSONReader(Array(bytes))
        var attributes: [String: JSONValue] = [:]
        var data: [UInt8]?
        var dataBase64: JSONValue?
        var seen: Set<String> = []
        try reader.readTopLevelObject { (reader, name) throws(ContractError) in
            guard seen.insert(name).inserted else {
                throw .invalidAttribute(name, reason: "appears more than once")
            }
            switch name {
            case "data":
                let start = reader.index
                try reader.skipValue()
                let raw = reader.slice(from: start)
                data = raw.elementsEqual("null".utf8) ? nil : Array(raw)
            case "data_base64":
                dataBase64 = try reader.parseValue()
            default:
                attributes[name] = try reader.parseValue()
            }
        }

        let specVersion = try Self.requiredString("specversion", attributes)
        guard specVersion == Self.specVersion else { throw .unsupportedSpecVersion(specVersion) }
        let dataContentType = try Self.optionalString("datacontenttype", attributes) ?? Self.jsonContentType
        try Self.checkJSONContentType(dataContentType)
        if let dataBase64, dataBase64 != .null {
            guard data == nil else { throw .invalidAttribute("data_base64", reason: "must not come with data") }
            guard case .string(let text) = dataBase64, let decoded = Data(base64Encoded: text) else {
                throw .invalidAttribute("data_base64", reason: "expected a base64 string")
            }
            data = Array(decoded)
            try Self.checkJSONData(data)
        }

        var extensions: [String: JSONValue] = [:]
        for (name, value) in attributes where !Self.reservedAttributes.contains(name) && value != .null {
            extensions[name] = value
        }
        self.init(
            id: try Self.requiredString("id", attributes),
            source: try Self.requiredString("source", attributes),
            type: try Self.requiredString("type", attributes),
            dataContentType: dataContentType,
            subject: try Self.optionalString("subject", attributes),
            correlationID: try Self.optionalString("correlationid", attributes),
            extensions: extensions,
            data: data
        )
        try Self.checkSource(source)
        self.timeStamp = try Self.parseTime(try Self.requiredString("time", attributes))
    }

    private static func requiredString(_ name: String, _ attributes: [String: JSONValue]) throws(ContractError)
        -> String
    {
        guard let value = try optionalString(name, attributes) else { throw .missingAttribute(name) }
        guard !value.isEmpty else { throw .invalidAttribute(name, reason: "must not be empty") }
        return value
    }

    private static func optionalString(_ name: String, _ attributes: [String: JSONValue]) throws(ContractError)
        -> String?
    {
        switch attributes[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw .invalidAttribute(name, reason: "expected a string, found \(other.typeDescription)")
        }
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
        guard !source.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
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
        var reader = JSONReader(data)
        do {
            try reader.validateDocument()
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
