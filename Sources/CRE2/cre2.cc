#include "cre2.h"
#include <re2/re2.h>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>
#include <new>

struct cre2_regexp {
  re2::RE2 *re;
  std::vector<std::string> names;  // index = group number; "" when unnamed
};

static char *dup_string(const std::string &s) {
  char *out = static_cast<char *>(std::malloc(s.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

extern "C" cre2_regexp *cre2_compile(const char *pattern, size_t len, int *error_code, char **error_arg) {
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_encoding(re2::RE2::Options::EncodingUTF8);
  opts.set_max_mem(int64_t(64) << 20);
  re2::RE2 *re = new (std::nothrow) re2::RE2(re2::StringPiece(pattern, len), opts);
  if (re == nullptr) {
    *error_code = 1;
    *error_arg = dup_string("");
    return nullptr;
  }
  if (!re->ok()) {
    *error_code = static_cast<int>(re->error_code());
    *error_arg = dup_string(re->error_arg());
    delete re;
    return nullptr;
  }
  cre2_regexp *out = new (std::nothrow) cre2_regexp;
  if (out == nullptr) {
    delete re;
    *error_code = 1;
    *error_arg = dup_string("");
    return nullptr;
  }
  out->re = re;
  out->names.assign(static_cast<size_t>(re->NumberOfCapturingGroups()) + 1, std::string());
  for (const auto &kv : re->CapturingGroupNames()) {
    if (kv.first >= 0 && static_cast<size_t>(kv.first) < out->names.size()) out->names[kv.first] = kv.second;
  }
  *error_code = 0;
  *error_arg = nullptr;
  return out;
}

extern "C" void cre2_free(cre2_regexp *re) {
  if (re == nullptr) return;
  delete re->re;
  delete re;
}

extern "C" void cre2_free_string(char *s) { std::free(s); }

extern "C" int cre2_num_groups(const cre2_regexp *re) { return re->re->NumberOfCapturingGroups(); }

extern "C" const char *cre2_group_name(const cre2_regexp *re, int index) {
  if (index < 0 || static_cast<size_t>(index) >= re->names.size()) return nullptr;
  const std::string &n = re->names[static_cast<size_t>(index)];
  return n.empty() ? nullptr : n.c_str();
}

static const char kEmpty[1] = {0};

extern "C" int cre2_full_match(const cre2_regexp *re, const char *text, size_t len) {
  if (text == nullptr) text = kEmpty;
  return re2::RE2::FullMatch(re2::StringPiece(text, len), *re->re) ? 1 : 0;
}

extern "C" int cre2_match(const cre2_regexp *re, const char *text, size_t len, size_t start, int anchor,
                          int64_t *offsets, int nsub) {
  if (text == nullptr) text = kEmpty;
  if (start > len || nsub < 0) return 0;
  re2::RE2::Anchor a = anchor == 2 ? re2::RE2::ANCHOR_BOTH : (anchor == 1 ? re2::RE2::ANCHOR_START : re2::RE2::UNANCHORED);
  std::vector<re2::StringPiece> subs(static_cast<size_t>(nsub));
  re2::StringPiece input(text, len);
  if (!re->re->Match(input, start, len, a, subs.data(), nsub)) return 0;
  for (int i = 0; i < nsub; i++) {
    const re2::StringPiece &s = subs[static_cast<size_t>(i)];
    if (s.data() == nullptr) {
      offsets[2 * i] = -1;
      offsets[2 * i + 1] = -1;
    } else {
      offsets[2 * i] = static_cast<int64_t>(s.data() - text);
      offsets[2 * i + 1] = static_cast<int64_t>(s.data() - text + s.size());
    }
  }
  return 1;
}
