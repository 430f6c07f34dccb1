#define _GNU_SOURCE
#include "CThread.h"

#include <pthread.h>

int CThread_nameCurrent(const char *name) { return pthread_setname_np(pthread_self(), name); }
