#ifndef PROMTOOL_SWIFT_TSAN_HOOKS_H
#define PROMTOOL_SWIFT_TSAN_HOOKS_H

// Thread Sanitizer's annotation entry points, declared weak: they resolve only when the TSan runtime is linked
// (`swift build --sanitize=thread`); in every other build they are null and the calls below do nothing.
void __tsan_acquire(void *addr) __attribute__((weak));
void __tsan_release(void *addr) __attribute__((weak));

/// Tells TSan that the calling thread now holds the lock named by `addr` (call right after locking).
static inline void promtool_tsan_acquire(void *addr) {
    if (__tsan_acquire) __tsan_acquire(addr);
}

/// Tells TSan that the calling thread is about to release the lock named by `addr` (call right before unlocking).
static inline void promtool_tsan_release(void *addr) {
    if (__tsan_release) __tsan_release(addr);
}

/// Non-zero when the TSan runtime is linked into this process (tests that size thread stacks need to know:
/// instrumented code uses much more stack per frame).
static inline int promtool_tsan_linked(void) {
    return __tsan_acquire != 0;
}

#endif
