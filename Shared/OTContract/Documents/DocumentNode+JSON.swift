extension DocumentNode {
    /// The document as indented JSON (two spaces) with a final newline. An array of scalars stays on one line when
    /// it fits in ``lineLimit`` columns.
    var prettyJSON: String {
        var text = ""
        writeJSON(into: &text, indent: 0)
        return text + "\n"
    }

    /// The widest line an array of scalars is kept on.
    static let lineLimit = 120

    private func writeJSON(into text: inout String, indent: Int) {
        switch self {
        case .null, .bool, .integer, .number, .string:
            text += compactJSON
        case .array(let elements):
            if elements.isEmpty {
                text += "[]"
            } else if elements.allSatisfy(\.isScalar), fitsOnOneLine(text: text, indent: indent) {
                text += compactJSON
            } else {
                text += "[\n"
                for (offset, element) in elements.enumerated() {
                    text += String(repeating: "  ", count: indent + 1)
                    element.writeJSON(into: &text, indent: indent + 1)
                    text += offset == elements.count - 1 ? "\n" : ",\n"
                }
                text += String(repeating: "  ", count: indent) + "]"
            }
        case .object(let members):
            if members.isEmpty {
                text += "{}"
                return
            }
            text += "{\n"
            for (offset, member) in members.enumerated() {
                text += String(repeating: "  ", count: indent + 1)
                text += Self.jsonString(member.name) + ": "
                member.value.writeJSON(into: &text, indent: indent + 1)
                text += offset == members.count - 1 ? "\n" : ",\n"
            }
            text += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// Whether this node, written compactly after what the current line already holds, stays within the limit.
    private func fitsOnOneLine(text: String, indent: Int) -> Bool {
        let lineStart = text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return text[lineStart...].count + compactJSON.count + 1 <= Self.lineLimit
    }

    /// The node as JSON on one line, with a space after each comma and colon.
    var compactJSON: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): Self.jsonString(value)
        case .array(let elements): "[" + elements.map(\.compactJSON).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.map { Self.jsonString($0.name) + ": " + $0.value.compactJSON }.joined(separator: ", ") + "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, everything else as it is.
    static func jsonString(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension DocumentNode {
    /// A parsed JSON value as a document: object members by name (as the system's JSON encoders write them), whole
    /// numbers as integers.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
                self = .integer(Int64(value))
            } else {
                self = .number(value)
            }
        case .string(let value): self = .string(value)
        case .array(let elements): self = .array(elements.map(DocumentNode.init))
        case .object(let members):
            self = .object(members.keys.sorted().map { Member(name: $0, value: DocumentNode(members[$0] ?? .null)) })
        }
    }
}
