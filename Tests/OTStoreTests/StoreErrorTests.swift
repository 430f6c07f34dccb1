import GRDB
import OTStore
import Testing

@Suite("StoreError", .timeLimit(.minutes(2)))
struct StoreErrorTests {
    /// SQLite result codes (primary and extended) and the ``StoreError`` case each maps to.
    static let mappedCodes: [(code: Int32, expected: String)] = [
        (11, "corrupt"),  // SQLITE_CORRUPT
        (267, "corrupt"),  // SQLITE_CORRUPT_VTAB
        (26, "corrupt"),  // SQLITE_NOTADB
        (5, "locked"),  // SQLITE_BUSY
        (517, "locked"),  // SQLITE_BUSY_SNAPSHOT
        (6, "locked"),  // SQLITE_LOCKED
        (8, "readOnly"),  // SQLITE_READONLY
        (13, "diskFull"),  // SQLITE_FULL
        (10, "ioError"),  // SQLITE_IOERR
        (778, "ioError"),  // SQLITE_IOERR_WRITE
        (14, "cannotOpen"),  // SQLITE_CANTOPEN
        (3, "cannotOpen"),  // SQLITE_PERM
    ]

    static func caseName(_ error: StoreError) -> String {
        switch error {
        case .cannotCreateDirectory: "cannotCreateDirectory"
        case .cannotOpen: "cannotOpen"
        case .corrupt: "corrupt"
        case .locked: "locked"
        case .readOnly: "readOnly"
        case .diskFull: "diskFull"
        case .ioError: "ioError"
        case .migrationFailed: "migrationFailed"
        case .unknownMigrations: "unknownMigrations"
        case .invalidConfiguration: "invalidConfiguration"
        case .cannotClose: "cannotClose"
        case .closed: "closed"
        case .cannotRebuild: "cannotRebuild"
        }
    }

    @Test("operational SQLite codes map to store errors", arguments: mappedCodes)
    func operationalCodes(code: Int32, expected: String) throws {
        let error = DatabaseError(resultCode: ResultCode(rawValue: code), message: "test message")
        let mapped = try #require(StoreError.mapping(error, path: "/data/s.sqlite"))
        #expect(Self.caseName(mapped) == expected)
        #expect(mapped.description.contains("/data/s.sqlite"))
        #expect(mapped.description.contains("test message"))
        #expect(mapped.description.contains("(SQLite code \(code))"))
    }

    @Test(
        "caller errors are not mapped",
        arguments: [
            1,  // SQLITE_ERROR
            19,  // SQLITE_CONSTRAINT
            787,  // SQLITE_CONSTRAINT_FOREIGNKEY
            21,  // SQLITE_MISUSE
            4,  // SQLITE_ABORT
        ] as [Int32])
    func callerCodes(code: Int32) {
        let error = DatabaseError(resultCode: ResultCode(rawValue: code))
        #expect(StoreError.mapping(error, path: "/data/s.sqlite") == nil)
    }

    @Test("non-database errors are not mapped; store errors map to themselves")
    func otherErrors() {
        #expect(StoreError.mapping(CancellationError(), path: "/p") == nil)
        let locked = StoreError.locked(path: "/p", reason: "r")
        #expect(StoreError.mapping(locked, path: "/other") == locked)
    }

    @Test(
        "every description names the problem and an action",
        arguments: [
            StoreError.cannotCreateDirectory(path: "/d", reason: "Permission denied"),
            .cannotOpen(path: "/d/s", reason: "r"),
            .corrupt(path: "/d/s", reason: "r"),
            .locked(path: "/d/s", reason: "r"),
            .readOnly(path: "/d/s", reason: "r"),
            .diskFull(path: "/d/s", reason: "r"),
            .ioError(path: "/d/s", reason: "r"),
            .migrationFailed(path: "/d/s", migration: "v2", reason: "r"),
            .unknownMigrations(path: "/d/s", identifiers: ["v9"]),
            .invalidConfiguration(reason: "r"),
            .cannotClose(path: "/d/s", reason: "r"),
            .closed(path: "/d/s"),
            .cannotRebuild(path: "/d/s", reason: "r"),
        ])
    func descriptions(error: StoreError) {
        let text = error.description
        #expect(text.count > 60)
        if case .invalidConfiguration = error {
            #expect(text.contains("Fix"))
        } else {
            #expect(text.contains("/d"))
        }
    }
}
