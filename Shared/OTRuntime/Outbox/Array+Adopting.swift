extension Array {
    /// Appends `other`; an empty array takes `other`'s storage instead of copying its elements one by one (each a
    /// retain of its strings and arrays, which the relay paid for every message of a round).
    mutating func appendAdopting(_ other: [Element]) {
        if isEmpty { self = other } else { self += other }
    }
}
