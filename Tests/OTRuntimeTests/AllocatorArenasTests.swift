import Testing

@testable import OTRuntime

@Suite("The allocator's arena limit", .timeLimit(.minutes(1)))
struct AllocatorArenasTests {
    @Test("one arena per core, never fewer than two")
    func perCore() {
        #expect(AllocatorArenas.limit(processors: 2, environment: [:]) == 2)
        #expect(AllocatorArenas.limit(processors: 8, environment: [:]) == 8)
        // One arena would make every thread's allocation wait on one lock.
        #expect(AllocatorArenas.limit(processors: 1, environment: [:]) == 2)
    }

    @Test("an operator's own setting wins")
    func environmentWins() {
        #expect(AllocatorArenas.limit(processors: 2, environment: ["MALLOC_ARENA_MAX": "4"]) == nil)
        #expect(
            AllocatorArenas.limit(
                processors: 2, environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1"])
                == nil)
        // Other tunables leave the limit to the runtime.
        #expect(
            AllocatorArenas.limit(processors: 2, environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"]) == 2)
    }
}
