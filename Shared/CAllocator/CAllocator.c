#include "CAllocator.h"

#include <stdint.h>
#include <stdio.h>
#include <jemalloc/jemalloc.h>

// Every process that links this target allocates through jemalloc (Debian's libjemalloc2), which the link puts
// ahead of glibc's malloc, for every library in the process (Swift's runtime, librdkafka, SQLite). glibc's
// per-thread arenas contended on their locks and kept freed memory (docs/operations.md, 2026-12-03).
//
// jemalloc reads this string once, at its first allocation, before `main`; MALLOC_CONF in the environment is
// read after it and wins for each option it names (docs/configuration.md):
// - percpu_arena:percpu: one arena per core, a thread allocating from the core it runs on; glibc kept up to
//   eight per core, each holding a batch's freed memory;
// - dirty_decay_ms:1000, muzzy_decay_ms:0: pages freed are returned to the kernel after about a second instead
//   of ten, and not kept as "muzzy" (lazily freed) pages that still count in the process's resident size.
const char *malloc_conf = "percpu_arena:percpu,dirty_decay_ms:1000,muzzy_decay_ms:0";

static int readValue(const char *name, void *value, size_t size) {
    size_t length = size;
    return mallctl(name, value, &length, NULL, 0);
}

int CAllocator_readString(const char *name, const char **value) { return readValue(name, value, sizeof *value); }
int CAllocator_readUnsigned(const char *name, unsigned *value) { return readValue(name, value, sizeof *value); }
int CAllocator_readSignedSize(const char *name, ssize_t *value) { return readValue(name, value, sizeof *value); }
int CAllocator_readUInt64(const char *name, unsigned long long *value) {
    uint64_t read = 0;
    int status = readValue(name, &read, sizeof read);
    *value = read;
    return status;
}

int CAllocator_purge(void) {
    char name[64];
    snprintf(name, sizeof name, "arena.%u.purge", (unsigned)MALLCTL_ARENAS_ALL);
    return mallctl(name, NULL, NULL, NULL, 0);
}
