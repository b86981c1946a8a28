#ifndef CRE2_H
#define CRE2_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// Opaque compiled RE2 program.
typedef struct cre2_regexp cre2_regexp;

/// Compiles `pattern` (UTF-8, `len` bytes). On failure returns NULL, stores RE2's error code in
/// `*error_code` and a malloc'd NUL-terminated copy of the offending fragment in `*error_arg`
/// (free it with cre2_free_string).
cre2_regexp *cre2_compile(const char *pattern, size_t len, int *error_code, char **error_arg);
void cre2_free(cre2_regexp *re);
void cre2_free_string(char *s);

/// Number of capturing groups (not counting the whole match).
int cre2_num_groups(const cre2_regexp *re);

/// Name of capturing group `index` (1-based) or NULL when unnamed. Owned by the regexp.
const char *cre2_group_name(const cre2_regexp *re, int index);

/// 1 when the whole text matches.
int cre2_full_match(const cre2_regexp *re, const char *text, size_t len);

/// Finds the leftmost match at or after `start`. anchor: 0 none, 1 at start, 2 both ends.
/// On success writes `nsub` (begin, end) byte-offset pairs into `offsets` (-1 for unset groups)
/// and returns 1; returns 0 when there is no match.
int cre2_match(const cre2_regexp *re, const char *text, size_t len, size_t start, int anchor,
               int64_t *offsets, int nsub);

#ifdef __cplusplus
}
#endif
#endif
