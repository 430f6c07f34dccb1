import Testing

@testable import OTRuntime

@Suite("The processes' allocator", .timeLimit(.minutes(2)))
struct ProcessAllocatorTests {
    @Test("Swift's allocations go through jemalloc, not glibc's malloc")
    func swiftAllocatesThroughJemalloc() throws {
        let before = try #require(ProcessAllocator.bytesAllocatedByThisThread())
        let megabyte = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: megabyte, alignment: 16)
        defer { buffer.deallocate() }
        let after = try #require(ProcessAllocator.bytesAllocatedByThisThread())
        // jemalloc counts what it handed this thread; had glibc's malloc served the buffer, nothing would move.
        #expect(after - before >= UInt64(megabyte))
    }

    @Test("one arena per core, and freed pages go back to the kernel after a second")
    func settings() throws {
        let settings = try #require(ProcessAllocator.settings)
        // percpu: an arena per core, picked by the core a thread runs on. (The arena count alone tells nothing:
        // jemalloc adds one for large allocations, so even `narenas:1` shows two on this two-core machine.)
        #expect(settings.perCPUArena == "percpu")
        #expect(settings.dirtyDecayMilliseconds == 1_000)
        #expect(settings.muzzyDecayMilliseconds == 0)
    }

    @Test("freed pages can be returned to the kernel at once, as a benchmark does before it measures a peak")
    func returnFreedPages() {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 16 << 20, alignment: 4096)
        buffer.initializeMemory(as: UInt8.self, repeating: 1, count: 16 << 20)
        buffer.deallocate()
        // jemalloc answers an unknown control name with an error: this checks the name `arena.<all>.purge` too.
        #expect(ProcessAllocator.returnFreedPages())
    }
}
