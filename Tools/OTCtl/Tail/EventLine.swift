import Foundation
import Kafka
import OTContract

/// One consumed message as one line for a terminal: when, where, what type, key, and the data compactly, with
/// every national ID masked.
///
/// `2026-03-01T09:12:00.000Z  p3@1234  no.vigo.application.missing  key 018208*****  {"deadline":"2026-03-01",…}`
enum EventLine {
    /// The longest data shown, in characters, unless the whole is asked for.
    static let dataLimit = 400

    /// Formats a message.
    /// - Parameters:
    ///   - partition: The partition.
    ///   - offset: The offset.
    ///   - key: The key, if any.
    ///   - value: The value; `nil` for a tombstone.
    ///   - headers: The headers.
    ///   - full: Whether to show the data whole rather than clipped at ``dataLimit`` characters.
    static func format(
        partition: Int32, offset: Int64, key: String?, value: [UInt8]?, headers: [KafkaHeader], full: Bool = false,
        showHeaders: Bool = false
    ) -> String {
        let line = eventText(partition: partition, offset: offset, key: key, value: value, headers: headers, full: full)
        guard showHeaders, !headers.isEmpty else { return line }
        let shown = headers.map { header in
            "\(header.name)=\(header.value.map { String(decoding: $0, as: UTF8.self) } ?? "-")"
        }
        return line + "\n    headers: " + Masking.maskNationalIDs(in: shown.joined(separator: "; "))
    }

    private static func eventText(
        partition: Int32, offset: Int64, key: String?, value: [UInt8]?, headers: [KafkaHeader], full: Bool
    ) -> String {
        let position = "p\(partition)@\(offset)"
        let keyText = "key \(key ?? "-")"
        guard let value else { return Masking.maskNationalIDs(in: "\(position)  (tombstone)  \(keyText)") }
        let line: String
        do {
            let event = try CloudEvent.decode(value: value, headers: headers.map { ($0.name, $0.value) })
            // Masked before it is clipped: a clip inside a national ID would leave a run too short to be masked.
            var data = Masking.maskNationalIDs(in: (try? event.dataJSON().description) ?? "-")
            if !full, data.count > dataLimit { data = data.prefix(dataLimit) + "…" }
            let correlation = event.correlationID.map { "  corr \($0.prefix(8))" } ?? ""
            line = "\(event.timeStamp.rfc3339)  \(position)  \(event.type)  \(keyText)\(correlation)  \(data)"
        } catch {
            let raw = String(Masking.maskNationalIDs(in: String(decoding: value, as: UTF8.self)).prefix(200))
            line = "\(position)  not a CloudEvent: \(error)  \(keyText)  \(raw)"
        }
        return Masking.maskNationalIDs(in: line)
    }

    /// Formats a consumed message.
    static func format(_ message: KafkaConsumerMessage, full: Bool = false, headers: Bool = false) -> String {
        format(
            partition: message.partition, offset: message.offset, key: message.keyString,
            value: message.value.map(Array.init), headers: message.headers, full: full, showHeaders: headers)
    }
}
