#define _GNU_SOURCE
#include "CThread.h"

#include <pthread.h>
#include <string.h>

int CThread_nameCurrent(const char *name) {
    char kept[16];  // Linux refuses a longer name (ERANGE) rather than cutting it
    strncpy(kept, name, sizeof kept - 1);
    kept[sizeof kept - 1] = '\0';
    return pthread_setname_np(pthread_self(), kept);
}
