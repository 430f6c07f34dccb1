extension DocumentNode {
    /// The document as YAML in block style, two spaces per level, with a final newline: what YAML 1.1 and 1.2
    /// parsers read back as the same document.
    ///
    /// Strings are written plain only when no parser could take them for anything else (a number, a Boolean such as
    /// YAML 1.1's `no`, `null`, an indicator); otherwise double-quoted as in JSON, or as a literal block when they
    /// span lines. An array of scalars is written in flow style (`[delete]`) when it fits on its line.
    var yaml: String {
        var lines: [String] = []
        writeYAMLMembers(members, into: &lines, indent: 0)
        return lines.joined(separator: "\n") + "\n"
    }

    private func writeYAMLMembers(_ members: [Member], into lines: inout [String], indent: Int) {
        let padding = String(repeating: "  ", count: indent)
        for member in members {
            let key = padding + Self.yamlKey(member.name) + ":"
            switch member.value {
            case .object(let members) where !members.isEmpty:
                lines.append(key)
                writeYAMLMembers(members, into: &lines, indent: indent + 1)
            case .array(let elements) where !elements.isEmpty:
                if let flow = Self.flowSequence(elements), key.count + 1 + flow.count <= Self.lineLimit {
                    lines.append(key + " " + flow)
                } else {
                    lines.append(key)
                    Self.writeYAMLElements(elements, into: &lines, indent: indent + 1)
                }
            case .string(let text) where Self.isLiteralBlock(text):
                lines.append(key + " |-")
                let inner = padding + "  "
                lines += text.split(separator: "\n", omittingEmptySubsequences: false).map {
                    $0.isEmpty ? "" : inner + $0
                }
            default:
                lines.append(key + " " + member.value.yamlScalar)
            }
        }
    }

    private static func writeYAMLElements(_ elements: [DocumentNode], into lines: inout [String], indent: Int) {
        let padding = String(repeating: "  ", count: indent)
        for element in elements {
            switch element {
            case .object(let members) where !members.isEmpty:
                // The first member goes on the dash's line, the others under it.
                var inner: [String] = []
                element.writeYAMLMembers(members, into: &inner, indent: indent + 1)
                for (offset, line) in inner.enumerated() {
                    lines.append(offset == 0 ? padding + "- " + line.dropFirst(padding.count + 2) : line)
                }
            case .array(let nested) where !nested.isEmpty:
                lines.append(padding + "- " + (flowSequence(nested) ?? DocumentNode.array(nested).compactJSON))
            case .string(let text) where isLiteralBlock(text):
                lines.append(padding + "- " + jsonString(text))
            default:
                lines.append(padding + "- " + element.yamlScalar)
            }
        }
    }

    /// A scalar (or an empty array or object) as YAML.
    private var yamlScalar: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let text): Self.isPlain(text) ? text : Self.jsonString(text)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// `[a, b]` for an array of scalars, else `nil`.
    private static func flowSequence(_ elements: [DocumentNode]) -> String? {
        guard elements.allSatisfy(\.isScalar) else { return nil }
        return "[" + elements.map(\.yamlScalar).joined(separator: ", ") + "]"
    }

    /// A key: plain when safe, else double-quoted.
    private static func yamlKey(_ name: String) -> String {
        let safe = name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || "_.$/-".unicodeScalars.contains(scalar)
        }
        guard safe, let first = name.unicodeScalars.first,
            first.properties.isAlphabetic || first == "$" || first == "_",
            !isReserved(name)
        else {
            return jsonString(name)
        }
        return name
    }

    /// Whether a string can be written plain: it starts with a letter, holds only letters, digits, spaces and
    /// `._/+()'-`, does not end with a space, and is no word a YAML parser reads as a Boolean or `null`.
    private static func isPlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
            text.last != " ", !isReserved(text)
        else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                    || " ._/+()'-".unicodeScalars.contains(scalar))
        }
    }

    /// Words YAML 1.1 or 1.2 reads as a Boolean or `null`.
    private static func isReserved(_ text: String) -> Bool {
        ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"].contains(text.lowercased())
    }

    /// Whether a string goes in a literal block (`|-`): it spans lines, has no control character but the line
    /// breaks, no line starting or ending with a space, and no final line break.
    private static func isLiteralBlock(_ text: String) -> Bool {
        guard text.contains("\n"), !text.hasSuffix("\n") else { return false }
        return text.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { line in
            line.first != " " && line.last != " "
                && !line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }
    }
}
