import CAllocator

/// The allocator of every process that links the runtime: jemalloc, from the `CAllocator` target, which links it
/// ahead of glibc's `malloc` and sets it up (one arena per core, freed pages returned after about a second;
/// `MALLOC_CONF` in the environment overrides, docs/configuration.md). With glibc's allocator,
/// `ot-runtime-benchmark --emit` spent 18 % of its CPU in `malloc` and `free` and about 10 % more waking threads
/// that waited on the arenas' locks (docs/operations.md).
public enum ProcessAllocator {
    /// jemalloc's settings in this process, as it reads them.
    public struct Settings: Sendable, Equatable {
        /// jemalloc's version.
        public var version: String
        /// Arenas (heaps) it keeps.
        public var arenas: Int
        /// How threads pick their arena: `percpu` (the core they run on) or `disabled` (jemalloc's own choice).
        public var perCPUArena: String
        /// How long freed pages are kept before they go back to the kernel, milliseconds.
        public var dirtyDecayMilliseconds: Int
        /// The same for pages already advised away lazily (still counted as resident until the kernel takes them).
        public var muzzyDecayMilliseconds: Int
    }

    /// This process's allocator settings; `nil` only if jemalloc cannot answer, which a process linking the
    /// runtime never sees.
    public static var settings: Settings? {
        var version: UnsafePointer<CChar>?
        var arenas: UInt32 = 0
        var perCPUArena: UnsafePointer<CChar>?
        var dirtyDecay = 0
        var muzzyDecay = 0
        guard CAllocator_readString("version", &version) == 0, let version,
            CAllocator_readUnsigned("arenas.narenas", &arenas) == 0,
            CAllocator_readString("opt.percpu_arena", &perCPUArena) == 0, let perCPUArena,
            CAllocator_readSignedSize("opt.dirty_decay_ms", &dirtyDecay) == 0,
            CAllocator_readSignedSize("opt.muzzy_decay_ms", &muzzyDecay) == 0
        else { return nil }
        return Settings(
            version: String(cString: version), arenas: Int(arenas), perCPUArena: String(cString: perCPUArena),
            dirtyDecayMilliseconds: dirtyDecay, muzzyDecayMilliseconds: muzzyDecay)
    }

    /// Bytes the calling thread has allocated through jemalloc so far: it grows with every `malloc` of the thread
    /// only where jemalloc is the process's allocator.
    public static func bytesAllocatedByThisThread() -> UInt64? {
        var allocated: UInt64 = 0
        return CAllocator_readUInt64("thread.allocated", &allocated) == 0 ? allocated : nil
    }

    /// Returns every arena's freed pages to the kernel now rather than after `dirtyDecayMilliseconds`, so that the
    /// process's resident size is what it holds: a benchmark does this before it measures a phase's peak, which
    /// would otherwise count pages an earlier phase freed. Whether jemalloc did it.
    @discardableResult
    public static func returnFreedPages() -> Bool { CAllocator_purge() == 0 }
}
