import OTContract

/// Masks national IDs in text meant for a terminal: every run of exactly eleven digits (what a national ID looks
/// like) becomes its first six digits and `*****`, as ``OTContract/NationalID/masked`` does.
///
/// Everything otctl prints about events goes through this, so that a national ID inside any field, key, header or
/// error text is never shown in full.
enum Masking {
    /// `text` with every run of exactly eleven ASCII digits masked (``OTContract/NationalID/maskingAll(in:)``).
    static func maskNationalIDs(in text: String) -> String { NationalID.maskingAll(in: text) }
}
