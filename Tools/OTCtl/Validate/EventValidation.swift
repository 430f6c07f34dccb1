import OTContract

/// What `otctl validate` makes of one input: each CloudEvent in it checked the way the system takes it, without a
/// broker. The input is one event (a JSON object, indented or not) or JSON lines (one event per line: several lines,
/// the first of them a whole object); an event is
/// decoded in structured mode, through the typed events of the topic its `type` belongs to (every field's presence,
/// type and format, the code lists, national IDs' check digits, the rules across fields), and on a command topic
/// its actor is checked too.
struct EventValidation: Sendable, Equatable {
    /// Where the event is: the input's name, with `:LINE` for JSON lines.
    var location: String
    /// The verdict.
    var verdict: Verdict

    /// What is wrong with an event, or what it is.
    enum Verdict: Sendable, Equatable {
        /// The system takes it: its type and id.
        case valid(type: String, id: String)
        /// It is refused, for the contract's reason.
        case invalid(String)
    }

    /// The line otctl prints: `LOCATION: ok TYPE ID` or `LOCATION: invalid: REASON`, national IDs masked.
    var line: String {
        switch verdict {
        case .valid(let type, let id): Masking.maskNationalIDs(in: "\(location): ok \(type) \(id)")
        case .invalid(let reason): Masking.maskNationalIDs(in: "\(location): invalid: \(reason)")
        }
    }

    /// Whether the event is valid.
    var isValid: Bool {
        if case .valid = verdict { true } else { false }
    }

    /// Checks every event of an input.
    /// - Parameters:
    ///   - bytes: The input: one event, or JSON lines.
    ///   - name: The input's name for the locations (a path, or `-` for standard input).
    static func check(_ bytes: [UInt8], name: String) -> [EventValidation] {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let events = lines.map(trimmed).filter { !$0.isEmpty }
        guard events.count > 1, let first = events.first, first.count > 1, first.first == UInt8(ascii: "{"),
            first.last == UInt8(ascii: "}")
        else {
            return [EventValidation(location: name, verdict: check(event: trimmed(bytes[...])))]
        }
        return lines.enumerated().compactMap { offset, line in
            let event = trimmed(line)
            guard !event.isEmpty else { return nil }
            return EventValidation(location: "\(name):\(offset + 1)", verdict: check(event: event))
        }
    }

    /// Checks one event's JSON.
    static func check(event bytes: ArraySlice<UInt8>) -> Verdict {
        guard !bytes.isEmpty else { return .invalid("no event: the input is empty") }
        do {
            let event = try CloudEvent(structuredJSON: bytes)
            _ = try ContractTopic.validate(event)
            return .valid(type: event.type, id: event.id)
        } catch {
            return .invalid(error.description)
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return bytes[start...end]
    }
}
