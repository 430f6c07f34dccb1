import Foundation

extension ContractError {
    /// Translates a `DecodingError` into the contract's error, naming the field by its path from `root`:
    /// `data.choices[0].schoolOrgNumber`.
    init(_ error: DecodingError, root: String) {
        switch error {
        case .keyNotFound(let key, let context):
            self = .missingField(Self.path(context.codingPath + [key], root: root))
        case .valueNotFound(_, let context):
            self = .missingField(Self.path(context.codingPath, root: root))
        case .typeMismatch(let type, let context):
            let found = Self.found(in: context.debugDescription).map { ", found \($0)" } ?? ""
            self = .invalidField(
                Self.path(context.codingPath, root: root), reason: "expected \(Self.name(of: type))\(found)")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self = .malformedJSON("\(root): \(context.debugDescription)")
            } else {
                self = .invalidField(Self.path(context.codingPath, root: root), reason: context.debugDescription)
            }
        @unknown default:
            self = .malformedJSON("\(root): \(error)")
        }
    }

    /// `root.key[0].other` for a coding path.
    static func path(_ codingPath: [any CodingKey], root: String) -> String {
        var path = root
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                path += "[\(index)]"
            } else {
                path += ".\(key.stringValue)"
            }
        }
        return path
    }

    /// The JSON type a Swift type decodes from, with its article.
    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type, is UInt.Type, is UInt8.Type,
            is UInt16.Type, is UInt32.Type, is UInt64.Type:
            return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") && !name.contains(":") { return "an array" }
            if name.hasPrefix("Dictionary") || name.hasPrefix("[") { return "an object" }
            return name
        }
    }

    /// What Foundation's message says it found instead ("... but found number instead."), when it says, with the
    /// JSON type names and articles of the contract's own messages.
    private static func found(in message: String) -> String? {
        guard let range = message.range(of: "but found ") else { return nil }
        var rest = message[range.upperBound...]
        if let end = rest.range(of: " instead") { rest = rest[..<end.lowerBound] }
        var word = rest.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces)).lowercased()
        for article in ["a ", "an "] where word.hasPrefix(article) { word.removeFirst(article.count) }
        switch word {
        case "": return nil
        case "number", "string", "boolean", "array", "object": break
        case "bool": word = "boolean"
        case "dictionary": word = "object"
        case "null", "nil": return "null"
        default: return word
        }
        return (word.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + word
    }
}
