import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How many heaps (arenas) glibc's allocator keeps: by default up to eight per core, each holding on to the memory
/// freed in it. A worker allocates a batch's data on whichever threads the batch ran on (the cooperative pool,
/// each store's writer queue, librdkafka's threads), so every thread got an arena of its own and kept a batch's
/// worth of freed memory in it: `ot-registrations` peaked at 243–272 MiB at 50,000 youths with the default and
/// 189–221 MiB with two arenas, at the same CPU per event; one arena made every allocation wait on one lock
/// (docs/operations.md).
public enum AllocatorArenas {
    /// The arena limit for `processors` cores, unless the environment already sets one (`MALLOC_ARENA_MAX`, or
    /// `glibc.malloc.arena_max` in `GLIBC_TUNABLES`), which wins: `nil` then.
    public static func limit(processors: Int, environment: [String: String]) -> Int? {
        if environment["MALLOC_ARENA_MAX"] != nil { return nil }
        if let tunables = environment["GLIBC_TUNABLES"], tunables.contains("glibc.malloc.arena_max") { return nil }
        return max(2, processors)
    }

    /// Applies ``limit(processors:environment:)`` for this process; returns the limit set, `nil` when the
    /// environment's own stays (or the allocator is not glibc's). Call it first thing in `main`: arenas made before
    /// stay.
    @discardableResult
    public static func limitForThisProcess() -> Int? {
        #if canImport(Glibc)
            guard
                let limit = limit(
                    processors: ProcessInfo.processInfo.activeProcessorCount,
                    environment: ProcessInfo.processInfo.environment)
            else { return nil }
            // Glibc's module map leaves out <malloc.h>, so mallopt is looked up; M_ARENA_MAX is -8 there.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(nil, "mallopt") else { return nil }  // nil: RTLD_DEFAULT
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            return mallopt(-8, Int32(limit)) == 1 ? limit : nil
        #else
            return nil
        #endif
    }
}
