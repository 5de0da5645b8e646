// Clang thread-safety annotations (no-ops on other compilers). Fields guarded by a mutex are
// declared GUARDED_BY(mu_); methods that expect the lock held end in `Locked`.
#pragma once

#if defined(__clang__)
#define STRATA_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define STRATA_THREAD_ANNOTATION(x)
#endif

#define GUARDED_BY(x) STRATA_THREAD_ANNOTATION(guarded_by(x))
#define REQUIRES(...) STRATA_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) STRATA_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
