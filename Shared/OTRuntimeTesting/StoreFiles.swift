import Foundation
import KafkaTesting

/// The files a service keeps under its data folder, searched byte by byte: what an erasure must leave without a
/// trace (database files, write-ahead logs, shared-memory indexes, anything else).
public enum StoreFiles {
    /// The paths (relative to `directory`) of every file under `directory` that contains `text`'s UTF-8 bytes.
    public static func containing(_ text: String, under directory: URL) throws -> [String] {
        let needle = Data(text.utf8)
        var found: [String] = []
        guard
            let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        for case let url as URL in walker {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            // A file can vanish between listing and reading (a log truncated, a store closed and removed).
            guard let bytes = try? Data(contentsOf: url) else { continue }
            if bytes.range(of: needle) != nil {
                found.append(String(url.path.dropFirst(directory.path.count)))
            }
        }
        return found.sorted()
    }

    /// Waits until no file under `directory` contains `text`, checked now and after each store's log is truncated
    /// following an erasure (`scrubs`: ``ServiceHarness/scrubs``); fails after `timeout`, naming the files that
    /// still do.
    public static func waitUntilNoneContain(
        _ text: String, under directory: URL, after scrubs: Occurrences, timeout: Duration = .seconds(60)
    ) async throws {
        do {
            try await scrubs.wait(until: "no store file to contain the text", timeout: timeout) {
                try containing(text, under: directory).isEmpty
            }
        } catch is TimeoutError {
            throw TimeoutError(
                what: "no store file to contain the text; still in \(try containing(text, under: directory))",
                timeout: timeout)
        }
    }
}
