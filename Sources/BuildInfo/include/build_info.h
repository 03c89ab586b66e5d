#ifndef RECONCILE_BUILD_INFO_H
#define RECONCILE_BUILD_INFO_H

/// The git commit the binary was built from ("unknown" unless `make dist` stamped it).
const char *reconcile_build_commit(void);

#endif
