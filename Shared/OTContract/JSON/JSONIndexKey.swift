/// The coding key of an array's element, as Foundation's encoder and decoder name it (`Index 0`), for the coding
/// paths of ``SortedJSONEncoder`` and ``TreeJSONDecoder``.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
