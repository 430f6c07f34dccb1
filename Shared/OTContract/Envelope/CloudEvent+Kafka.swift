extension CloudEvent {
    /// The prefix of the Kafka headers that carry attributes in binary mode.
    public static let binaryHeaderPrefix = "ce_"

    /// Reads an event from a Kafka message in either content mode.
    ///
    /// - Structured mode: the `content-type` header is `application/cloudevents+json` (with any parameters), or
    ///   there is no `ce_specversion` header (so a missing or plain JSON `content-type` is read as structured too);
    ///   the value is the whole event as JSON.
    /// - Binary mode: a `ce_specversion` header is present; `ce_id`, `ce_source`, `ce_type`, `ce_time`,
    ///   `ce_subject` and `ce_correlationid` carry those attributes, every other `ce_*` header becomes an extension
    ///   (a string), the `content-type` header is the `datacontenttype` (JSON when absent), and the value is the
    ///   data, which must be JSON.
    ///
    /// Header names are matched without regard to case; when a header repeats, the first one counts.
    ///
    /// - Parameters:
    ///   - value: The message value; `nil` for a tombstone.
    ///   - headers: The message headers, in order.
    /// - Throws: ``ContractError`` naming the missing or invalid attribute, ``ContractError/malformedJSON(_:)``, or
    ///   ``ContractError/unsupportedSpecVersion(_:)``.
    public static func decode(
        value: ArraySlice<UInt8>?,
        headers: [(name: String, value: [UInt8]?)]
    ) throws(ContractError) -> CloudEvent {
        var lowercased: [String: [UInt8]?] = [:]
        for header in headers {
            let name = header.name.lowercased()
            if lowercased[name] == nil { lowercased[name] = .some(header.value) }
        }
        let contentType = lowercased["content-type"].map { $0.map { String(decoding: $0, as: UTF8.self) } } ?? nil
        let mediaType = contentType.map { $0 == structuredContentType ? $0 : Self.mediaType(of: $0) }

        if mediaType == "application/cloudevents-batch+json" {
            throw .invalidAttribute("datacontenttype", reason: "batched mode is not supported")
        }
        if mediaType == structuredContentType || lowercased["ce_specversion"] == nil {
            guard let value else { throw .malformedJSON("a structured-mode event needs a message value") }
            return try CloudEvent(structuredJSON: value)
        }
        return try CloudEvent(binaryValue: value, headers: lowercased, contentType: contentType)
    }

    /// Reads an event from a Kafka message in either content mode; see ``decode(value:headers:)``.
    public static func decode(
        value: [UInt8]?,
        headers: [(name: String, value: [UInt8]?)]
    ) throws(ContractError) -> CloudEvent {
        try decode(value: value.map { $0[...] }, headers: headers)
    }

    /// The Kafka headers of this event in binary mode: `ce_*` for each attribute and extension, `content-type` for
    /// ``dataContentType``. Send ``data`` as the message value with them.
    ///
    /// The system itself writes structured mode; this is for producers and tests that speak binary mode.
    public func binaryHeaders() -> [(name: String, value: [UInt8]?)] {
        var headers: [(name: String, value: [UInt8]?)] = [
            ("ce_specversion", Array(Self.specVersion.utf8)),
            ("ce_id", Array(id.utf8)),
            ("ce_source", Array(source.utf8)),
            ("ce_type", Array(type.utf8)),
            ("ce_time", Array(timeStamp.rfc3339.utf8)),
            ("content-type", Array(dataContentType.utf8)),
        ]
        if let subject { headers.append(("ce_subject", Array(subject.utf8))) }
        if let correlationID { headers.append(("ce_correlationid", Array(correlationID.utf8))) }
        for name in extensions.keys.sorted() where !Self.reservedAttributes.contains(name) {
            let value = extensions[name] ?? .null
            headers.append((Self.binaryHeaderPrefix + name, Array((value.stringValue ?? value.description).utf8)))
        }
        return headers
    }

    private init(
        binaryValue value: ArraySlice<UInt8>?,
        headers: [String: [UInt8]?],
        contentType: String?
    ) throws(ContractError) {
        func attribute(_ name: String) throws(ContractError) -> String? {
            guard let header = headers[Self.binaryHeaderPrefix + name] else { return nil }
            guard let bytes = header else { throw .invalidAttribute(name, reason: "header ce_\(name) has no value") }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .invalidAttribute(name, reason: "header ce_\(name) is not UTF-8")
            }
            return text
        }
        func required(_ name: String) throws(ContractError) -> String {
            guard let text = try attribute(name) else { throw .missingAttribute(name) }
            guard !text.isEmpty else { throw .invalidAttribute(name, reason: "must not be empty") }
            return text
        }

        let specVersion = try required("specversion")
        guard specVersion == Self.specVersion else { throw .unsupportedSpecVersion(specVersion) }
        var dataContentType = Self.jsonContentType
        if let contentType {
            dataContentType = contentType
        } else if let fallback = try attribute("datacontenttype") {
            dataContentType = fallback
        }
        try Self.checkJSONContentType(dataContentType)
        let data = value.map(Array.init)
        try Self.checkJSONData(data)

        var extensions: [String: JSONValue] = [:]
        for name in headers.keys where name.hasPrefix(Self.binaryHeaderPrefix) {
            let attributeName = String(name.dropFirst(Self.binaryHeaderPrefix.count))
            guard !Self.reservedAttributes.contains(attributeName), attributeName != "datacontenttype" else { continue }
            if let text = try attribute(attributeName) { extensions[attributeName] = .string(text) }
        }
        self.init(
            id: try required("id"),
            source: try required("source"),
            type: try required("type"),
            dataContentType: dataContentType,
            subject: try attribute("subject"),
            correlationID: try attribute("correlationid"),
            extensions: extensions,
            data: data
        )
        try Self.checkSource(source)
        self.timeStamp = try Self.parseTime(try required("time"))
    }
}
