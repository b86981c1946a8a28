// The hooks are static inline functions in include/tsan_hooks.h; this file gives the target a translation unit.
#include "tsan_hooks.h"
