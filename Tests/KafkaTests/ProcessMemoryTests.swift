import Foundation
import KafkaTesting
import Testing

@Suite("ProcessMemory", .timeLimit(.minutes(2)))
struct ProcessMemoryTests {
    @Test("the resident size splits into anonymous memory and pages mapped from files, which add up to it")
    func residentSplit() {
        let split = ProcessMemory.residentSplitKiB()
        #expect(split.files > 1024, "the test executable's code is mapped from its file")
        #expect(split.anonymous > 0)
        // Two readings of a process whose other tests allocate and free meanwhile (64 MiB at once, below): the
        // closest of three pairs, equal within a few MiB.
        let difference = (0..<3).map { _ in
            let split = ProcessMemory.residentSplitKiB()
            return abs(split.anonymous + split.files - ProcessMemory.residentKiB())
        }.min()!
        #expect(difference < 8 * 1024, "the parts and VmRSS differ by \(difference) KiB")
        #expect(ProcessMemory.residentSplitKiB(of: Int32.max) == (anonymous: 0, files: 0), "no such process")
    }

    @Test("memory the process writes to counts as anonymous, not as mapped from files")
    func touchedMemoryIsAnonymous() throws {
        let size = 64 << 20
        // Other tests of the process may free memory between the two readings: the largest growth of three tries.
        var growth = 0
        for _ in 0..<3 where growth < 48 * 1024 {
            let before = ProcessMemory.residentSplitKiB().anonymous
            let region = try #require(
                mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap")
            defer { munmap(region, size) }
            #expect(region != MAP_FAILED)
            let bytes = region.assumingMemoryBound(to: UInt8.self)
            for page in stride(from: 0, to: size, by: 4096) { bytes[page] = 1 }  // each page made resident
            growth = max(growth, ProcessMemory.residentSplitKiB().anonymous - before)
        }
        #expect(growth >= 48 * 1024, "64 MiB written: anonymous grew by \(growth) KiB")
    }
}
