import OTContract

/// Masks national IDs in text meant for a terminal: every run of exactly eleven digits (what a national ID looks
/// like), and a valid ID written with its birth date apart, keeps its first six digits and the rest becomes `*****`,
/// as ``OTContract/NationalID/masked`` does.
///
/// Everything otctl prints about events goes through this, so that a national ID inside any field, key, header or
/// error text is never shown in full.
enum Masking {
    /// `text` with every national ID masked (``OTContract/NationalID/maskingAll(in:)``).
    static func maskNationalIDs(in text: String) -> String { NationalID.maskingAll(in: text) }
}
