import Foundation
import Testing

@testable import OTStore

@Suite("DatabaseFile", .timeLimit(.minutes(2)))
struct DatabaseFileTests {
    @Test(
        "parent directory of a path",
        arguments: [
            ("/var/lib/ot/store.sqlite", "/var/lib/ot"),
            ("/store.sqlite", "/"),
            ("store.sqlite", "."),
        ])
    func parentDirectory(path: String, parent: String) {
        #expect(DatabaseFile.parentDirectory(of: path) == parent)
    }

    @Test("a relative path is taken against the current directory; an absolute one is kept")
    func absolutePath() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(DatabaseFile.absolutePath("data/store.sqlite") == cwd + "/data/store.sqlite")
        #expect(DatabaseFile.absolutePath("/data/store.sqlite") == "/data/store.sqlite")
    }
}
