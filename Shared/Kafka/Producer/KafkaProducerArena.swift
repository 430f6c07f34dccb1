/// One contiguous byte buffer holding every string and byte array of a chunk of messages, so that a whole
/// chunk crosses into C with a single pointer scope. Topic names and header names are NUL-terminated.
struct KafkaProducerArena {
    struct MessageLayout {
        var topic: Int
        var partition: Int32?
        var key: Range<Int>?
        var value: Range<Int>?
        var headers: Range<Int>
        var timestamp: Int64?
    }

    struct HeaderLayout {
        var name: Int
        var value: Range<Int>?
    }

    private(set) var bytes: [UInt8] = []
    private(set) var headers: [HeaderLayout] = []
    private var lastTopic: (name: String, offset: Int)?

    mutating func append(_ message: KafkaProducerMessage) -> MessageLayout {
        let topic: Int
        if let lastTopic, lastTopic.name == message.topic {
            topic = lastTopic.offset
        } else {
            topic = appendCString(message.topic)
            lastTopic = (message.topic, topic)
        }
        let firstHeader = headers.count
        for header in message.headers {
            headers.append(HeaderLayout(name: appendCString(header.name), value: header.value.map { appendBytes($0) }))
        }
        return MessageLayout(
            topic: topic, partition: message.partition, key: message.key.map { appendBytes($0) },
            value: message.value.map { appendBytes($0) }, headers: firstHeader..<headers.count,
            timestamp: message.timestamp)
    }

    private mutating func appendBytes(_ data: [UInt8]) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: data)
        return start..<bytes.count
    }

    private mutating func appendCString(_ string: String) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: string.utf8)
        bytes.append(0)
        return start
    }
}
