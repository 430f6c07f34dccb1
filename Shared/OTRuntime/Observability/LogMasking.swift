import OTContract

/// Masks a message key for logs: person-keyed topics are keyed by national ID, which must never be logged.
/// Keeps the first six characters (the birth date part of a national ID) and replaces the rest with `*****`.
func maskKey(_ key: String?) -> String {
    guard let key else { return "-" }
    return key.count > 6 ? String(key.prefix(6)) + "*****" : key
}

/// Masks every national ID in `text` (``OTContract/NationalID/maskingAll(in:)``: a run of exactly eleven digits,
/// or a valid ID written with its birth date apart), so that error texts that quote input can be logged and put in
/// dead-letter headers.
func maskNationalIDs(in text: String) -> String { NationalID.maskingAll(in: text) }
