#ifndef CTHREAD_H
#define CTHREAD_H

/// Names the calling thread `name` for the OS (`top -H`, `perf`, `/proc/<pid>/task/<tid>/comm`): 0 on success, else
/// an errno value (ERANGE: longer than 15 bytes, which Linux refuses). Swift's Glibc module does not export
/// `pthread_setname_np`, a GNU extension.
int CThread_nameCurrent(const char *name);

#endif
