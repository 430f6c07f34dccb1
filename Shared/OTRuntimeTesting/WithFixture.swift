/// Runs `body` with a fixture made by `make` and always awaits `teardown` before returning, also when `body`
/// throws: a test never leaves a broker, a worker or files running behind it for the tests after it (in the spirit
/// of HummingbirdTesting's `app.test { … }`). A teardown error after a failing body is dropped; the body's error
/// is the one that explains the failure.
public func withFixture<Fixture, Result>(
    _ make: () async throws -> Fixture,
    teardown: (Fixture) async throws -> Void,
    _ body: (Fixture) async throws -> Result
) async throws -> Result {
    let fixture = try await make()
    let result: Result
    do {
        result = try await body(fixture)
    } catch {
        try? await teardown(fixture)
        throw error
    }
    try await teardown(fixture)
    return result
}
