#ifndef RECONCILE_RUNTIME_HOOKS_H
#define RECONCILE_RUNTIME_HOOKS_H

/// The address of the Swift concurrency runtime's global-enqueue hook (`swift_task_enqueueGlobal_hook`),
/// through which the CLI runs every task on NIO's event loops.
///
/// Referenced by name at link time rather than looked up with `dlsym` (as NIO does): with the Swift runtime
/// linked statically (`make release`, `make dist`) the variable is not in the dynamic symbol table.
void **reconcile_global_enqueue_hook_slot(void);

/// Also in this library, a constructor that runs before `main` and before any thread exists (the Swift
/// runtime starts an async `main` on a worker thread that allocates before the first line of `main` runs):
/// glibc's malloc is set to one arena for every thread (`mallopt(M_ARENA_MAX, 1)`), and the pages of the
/// executable's relocation table, which the loader has finished with, are handed back. Why: runtime_hooks.c.

#endif
