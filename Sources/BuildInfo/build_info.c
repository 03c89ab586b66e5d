#include "build_info.h"

// `make dist` writes generated_commit.h (ignored by git) for its build and removes it after; a
// header, not a -D flag, so that stamping the commit recompiles this file only.
#if __has_include("generated_commit.h")
#include "generated_commit.h"
#endif

#ifndef RECONCILE_COMMIT
#define RECONCILE_COMMIT "unknown"
#endif

const char *reconcile_build_commit(void) {
    return RECONCILE_COMMIT;
}
