#ifndef CALLOCATOR_H
#define CALLOCATOR_H

#include <stddef.h>
#include <sys/types.h>

/// jemalloc's settings and figures by their `mallctl` names ("version", "opt.narenas", "stats.resident", ...):
/// 0 on success, else an errno value (ENOENT: no such name). These answer even where the process's `malloc` is
/// not jemalloc's (jemalloc then serves only them); "thread.allocated" tells whether it is.
int CAllocator_readString(const char *name, const char **value);
int CAllocator_readUnsigned(const char *name, unsigned *value);
int CAllocator_readSignedSize(const char *name, ssize_t *value);
int CAllocator_readUInt64(const char *name, unsigned long long *value);

/// Returns every arena's freed pages to the kernel now ("arena.<all>.purge"), instead of after their decay time:
/// 0 on success, else an errno value. What is still allocated stays.
int CAllocator_purge(void);

#endif
