#include "runtime_hooks.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Defined by the Swift concurrency runtime (libswift_Concurrency), shared or static.
extern void *swift_task_enqueueGlobal_hook;

void **reconcile_global_enqueue_hook_slot(void) {
    return &swift_task_enqueueGlobal_hook;
}

// One arena for every thread. By default each event-loop thread gets an arena of its own, which grows a page
// at a time with one mprotect call per page (about 6,700 calls in a 1,000-stream plan), where the main arena
// grows with brk in larger steps. Two threads sharing one arena's lock cost less: the plan's CPU time drops by
// about a twentieth, and its peak memory does not grow.
__attribute__((constructor)) static void reconcile_use_one_malloc_arena(void) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, 1);
#endif
}
