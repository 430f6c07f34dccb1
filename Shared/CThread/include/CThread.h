#ifndef CTHREAD_H
#define CTHREAD_H

/// Names the calling thread for the OS (`top -H`, `perf`, `/proc/<pid>/task/<tid>/comm`), cut to the 15 bytes Linux
/// keeps: 0 on success, else an errno value. Call it from the thread itself, first thing: Foundation's `Thread.name`
/// setter names the OS thread only once `start()` has returned in the thread that started it, so a thread that ran
/// first kept its creator's name; and Swift's Glibc module does not export `pthread_setname_np`, a GNU extension.
int CThread_nameCurrent(const char *name);

#endif
