#!/usr/bin/env python3
"""Differential mutation campaign: promtool-swift vs /usr/bin/promtool on mutated corpus fixtures.

Seeds are the corpus configs and rule files that both tools accept. Each mutant (seeded, reproducible)
is one mutation class applied to one seed; both tools run `check config` / `check rules` on it in a
scratch folder that links the seed's siblings (rule files, certificates, SD files). Outputs are compared
after dropping our `  at FILE:L:C` lines; a difference that a row of the drop-in differences table
explains (2.42-vs-3.14 or deliberate) counts as explained, and the report gives agreement per class.

  scripts/mutdiff/mutdiff.py --per-kind 3000 --seed mutdiff-2 --out /tmp/mutdiff

Time is CPU time (user + system of the tool's process): a tool is killed as a timeout past --cpu-timeout
seconds of CPU, never for wall time alone, which on a loaded machine says more about the load. With
--ours-only only promtool-swift runs (the agreement columns are then meaningless): that times a release
build on the same mutants as a campaign run with another build. --only c00063,r00417 reruns single
mutants; every disagreement no table row explains is kept in OUT/inputs/ID.yml. The real tool's results do
not depend on ours: --real-cache DIR keeps them by input, and --prefill-real fills it (while ours still
builds), so that a campaign then runs only ours.
"""
import argparse, base64, binascii, collections, concurrent.futures, hashlib, json, os, random, re, shutil, signal, subprocess, sys, tempfile, threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")
TABLE = os.path.join(ROOT, "Tests", "DifferentialTests", "drop-in-differences.tsv")

# ---------------------------------------------------------------- explanations (table rows)
# Each table row's `case` names one of these predicates over (ours, real) normalised outputs and exit codes.
# A row whose case is unknown here belongs to another suite and is ignored by this harness.

def _real_has(pattern):
    rx = re.compile(pattern)
    return lambda o, r: bool(rx.search(r["text"]))

def _either_has(pattern):
    rx = re.compile(pattern)
    return lambda o, r: bool(rx.search(r["text"]) or rx.search(o["text"]))

def _both_fail(o, r):
    return o["rc"] not in (0, "timeout", "wall-timeout") and r["rc"] not in (0, "timeout", "wall-timeout")

def _only_extra_lines(o, r, pattern):
    """Every line ours prints that real does not matches `pattern` (and there is one)."""
    rl = set(r["text"].split("\n"))
    extra = [l for l in o["text"].split("\n") if l not in rl and not l.endswith("FAILED:") and "SUCCESS" not in l]
    return bool(extra) and all(re.search(pattern, l) for l in extra)

def _second_decode_entry(o, r):
    """3.14 decodes a rule file twice (strict into Rule, lenient into RuleNode) and prints both errors;
    2.42 decodes once (its second decode is into []yaml.Node, which never fails). Ours minus a trailing
    `yaml: unmarshal errors:` entry whose lines all stand in an earlier entry is real's output; the second
    decode names 3.14's `rulefmt.RuleGroupNode` (rulefmt.go v3.14.0:96-97, `Groups []RuleGroupNode`) where
    the first names `rulefmt.RuleGroup`."""
    lines = o["text"].split("\n")
    starts = [i for i, l in enumerate(lines) if l.endswith(": yaml: unmarshal errors:") or l == "yaml: unmarshal errors:"]
    if len(starts) < 2:
        return False
    last = lines[starts[-1]:]
    earlier = set(lines[:starts[-1]])
    return all(l.replace("rulefmt.RuleGroupNode", "rulefmt.RuleGroup") in earlier for l in last[1:]) and "\n".join(lines[:starts[-1]]) == r["text"]

def _binary_alert_name(o, r):
    """3.14 names an alerting rule by the string decode of `alert`, which yaml v3 base64-decodes for
    `!!binary`; 2.42 used the raw node's text. Real's output with each such name decoded is ours."""
    names = re.findall(r"(?m)^\s*-?\s*alert:\s*!!binary\s+(\S+)\s*$", o["input"])
    text = r["text"]
    for n in names:
        try:
            text = text.replace(n, base64.b64decode(n, validate=True).decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError):
            pass
    return bool(names) and o["rc"] == r["rc"] and text == o["text"]

EXPLAIN = {
    # 2.42 validates names with the legacy scheme; 3.14 accepts UTF-8 names (diffs/01).
    "mutdiff-utf8-names": _real_has(r"is not a valid label name|invalid label name|invalid metric name|invalid recording rule name|is not a valid metric name|invalid annotation name|not a valid label name|invalid alerting rule name|invalid rule name|is invalid 'replacement'|is invalid 'target_label'"),
    # PromQL parser changes between 2.42 and 3.14 (diffs/05): one side rejects an expression the other accepts or words differently.
    "mutdiff-promql-3x-parser": _either_has(r"could not parse expression"),
    # 3.14 names two positions for `one of 'record' or 'alert' must be set` (diffs/06).
    "mutdiff-record-alert-two-positions": _either_has(r"one of 'record' or 'alert' must be set"),
    # 3.14 decodes expr/alert/record as strings first; 2.42 only as yaml.Node (diffs/07, 22).
    "mutdiff-rule-string-fields": lambda o, r: o["kind"] == "rules" and _only_extra_lines(o, r, r"cannot decode .* as a|cannot unmarshal .* into string|yaml: unmarshal errors:$|field 'expr' must be set in rule|one of 'record' or 'alert' must be set"),
    # The Scaleway SDK's zone list grew between the versions 2.42 and 3.14 link.
    "mutdiff-scaleway-zone-list": lambda o, r: "scaleway-sdk-go: invalid default zone format" in r["text"]
                                              and o["text"].split("available zones are")[0] == r["text"].split("available zones are")[0],
    "mutdiff-rule-files-decoded-twice": _second_decode_entry,
    "mutdiff-binary-alert-name": _binary_alert_name,
    # Template functions added after 2.42 (diffs/10).
    "mutdiff-template-3x-functions": _real_has(r"function \"\w+\" not defined"),
    # 3.14 validates relabel configs after the whole scrape config decoded: type errors and validation swap places.
    "mutdiff-relabel-validated-late": lambda o, r: _both_fail(o, r) and ("unmarshal errors" in o["text"]) != ("unmarshal errors" in r["text"])
                                                  and re.search(r"relabel|regex|target_label|source_labels|replacement", o["text"] + r["text"]) is not None,
    "mutdiff-tls-config-validate": _either_has(r"tls_config|TLS|certificate|cert_file|key_file|ca_file|insecure_skip_verify|min_version|max_version"),
    "mutdiff-oauth2-plain-type": _either_has(r"oauth2"),
    "mutdiff-ec2-region-optional": lambda o, r: o["rc"] == 0 and "region" in r["text"],
    "mutdiff-rule-group-labels": _real_has(r"field labels not found in type rulefmt"),
    # Duration texts of prometheus/common v0.70 (ours) vs v0.39 (2.42) (diffs/09, 20).
    "mutdiff-duration-texts-3x": lambda o, r: o["rc"] == r["rc"] and re.search(r"unknown unit|empty duration string|not a valid duration string|duration out of range", o["text"]) is not None
                                             and re.search(r"not a valid duration string|empty duration string|duration out of range", r["text"]) is not None,
    # Deliberate: our PromQL nesting limit (3.14 has none) (diffs/16).
    "mutdiff-promql-nesting-limit": lambda o, r: "expression nesting too deep" in o["text"],
    # Deliberate: multi-document rule files are merged by us; 3.14 reads the first document (diffs/19).
    "mutdiff-multi-document-rule-files": lambda o, r: o["kind"] == "rules" and re.search(r"(?m)^---", o["input"]) is not None,
    # Deliberate: our bound on flow nesting work (libyaml rescans every open flow level per token).
    "mutdiff-yaml-flow-work-bound": lambda o, r: "too much nesting for the input's size" in o["text"],
    # Deliberate: 64 MiB input bound.
    "mutdiff-input-size-bound": lambda o, r: "byte limit" in o["text"],
    # 2.42's relabel regex fragment is `^(?:…)$`, 3.14's `^(?s:…)$`.
    "mutdiff-regex-anchor-text": lambda o, r: o["text"].replace("^(?s:", "^(?:") == r["text"].replace("^(?s:", "^(?:"),
    # The real tool did not finish within the harness timeout (crashes/02).
    "mutdiff-real-timeout": lambda o, r: r["rc"] == "timeout",
}

def load_table(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("case\t") or line.startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] in EXPLAIN:
                rows.append({"case": parts[0], "kind": parts[1] if len(parts) > 1 else ""})
    return rows

# ---------------------------------------------------------------- normalisation (verified 3.14 rewrites)

AT_LINE = re.compile(r"^  at .*:\d+:\d+$")

def normalise(stdout, stderr, kind, real=False):
    lines = [l for l in (stdout + "\n--stderr--\n" + stderr).split("\n") if not AT_LINE.match(l)]
    text = "\n".join(lines)
    # Verified 3.14 rewrites of 2.42's words: `rulefmt.RuleNode` is `rulefmt.Rule` in 3.14's first decode;
    # 3.14's node decode lists `[]rulefmt.RuleGroupNode` where 2.42's had `[]yaml.Node`; no blank line after
    # a rule file that failed (cmd/promtool/main.go v3.14.0 checkRules `continue`).
    text = text.replace("rulefmt.RuleNode", "rulefmt.Rule")
    if real:
        text = text.replace("into []yaml.Node", "into []rulefmt.RuleGroupNode")
    text = re.sub(r"\n\n+", "\n", text).strip()
    # 3.14 decodes rule files twice and prints both errors: an error entry (a line at column 0 and the
    # indented lines under it) that repeats an earlier entry is dropped from both outputs.
    entries, seen, out = [], set(), []
    for l in text.split("\n"):
        if l.startswith(" ") and entries and not l.startswith(" SUCCESS") and not l.startswith("  FAILED") and not l.startswith("  SUCCESS"):
            entries[-1].append(l)
        else:
            entries.append([l])
    for e in entries:
        key = "\n".join(e)
        if key in seen and e[0].strip():
            continue
        seen.add(key)
        out.extend(e)
    return "\n".join(out)

# ---------------------------------------------------------------- mutations

def lines_of(text):
    return text.split("\n")

def m_delete_key(rng, t):
    ls = lines_of(t)
    idx = [i for i, l in enumerate(ls) if re.match(r"^\s*-?\s*[\w.]+:", l)]
    if not idx: return t
    del ls[rng.choice(idx)]
    return "\n".join(ls)

def m_duplicate_key(rng, t):
    ls = lines_of(t)
    idx = [i for i, l in enumerate(ls) if re.match(r"^\s+[\w.]+:\s*\S", l)]
    if not idx: return t
    i = rng.choice(idx)
    ls.insert(i + 1, ls[i])
    return "\n".join(ls)

TYPE_VALUES = ["[]", "{}", "[a, b]", "{a: b}", "1", "-1", "1.5", "true", "null", "~", "''", "!!null x", "!!float x",
               "!!binary aGVsbG8=", "!!str 5", "!!int abc", "1e309", "-.inf", ".nan", "9223372036854775808",
               "-9223372036854775809", "18446744073709551616", "0x1F", "? a", "*undefined_anchor"]

def replace_value(rng, t, values):
    ls = lines_of(t)
    idx = [i for i, l in enumerate(ls) if re.match(r"^(\s*-?\s*[\w.]+:)\s*\S", l)]
    if not idx: return t
    i = rng.choice(idx)
    m = re.match(r"^(\s*-?\s*[\w.]+:)", ls[i])
    ls[i] = m.group(1) + " " + rng.choice(values)
    return "\n".join(ls)

def m_change_type(rng, t): return replace_value(rng, t, TYPE_VALUES)

DURATIONS = ["", "''", "1.5m", "5M", "5x", "0x10s", "1µs", "'5 m'", "1e3s", "99999999999999999999y", "1m1h", "1h1h",
             "-5m", "5", "0", "1y2w3d4h5m6s7ms", "300000000y", "18446744073709551616s", "1d1d", "1ms1s"]

def m_invalid_duration(rng, t):
    ls = lines_of(t)
    idx = [i for i, l in enumerate(ls) if re.search(r"(interval|timeout|for|keep_firing_for|offset|retention|refresh_interval):\s*\S", l)]
    if not idx: return replace_value(rng, t, DURATIONS)
    i = rng.choice(idx)
    m = re.match(r"^(.*?:)", ls[i])
    ls[i] = m.group(1) + " " + rng.choice(DURATIONS)
    return "\n".join(ls)

BAD_LABELS = ["a-b", "a.b", "1abc", "é", "'a b'", "__name__", "''", "le", "a{b}", "a:b"]

def m_bad_label(rng, t):
    ls = lines_of(t)
    idx = [i for i, l in enumerate(ls) if re.match(r"^\s+[\w.]+:\s*\S", l)]
    if not idx: return t
    i = rng.choice(idx)
    ind = re.match(r"^(\s+)", ls[i]).group(1)
    ls.insert(i + 1, ind + rng.choice(BAD_LABELS) + ": v")
    return "\n".join(ls)

def m_out_of_range(rng, t):
    return replace_value(rng, t, ["-1", "0", "99999999999999999999", "-9223372036854775808", "4294967296", "1e18", "-0.5", "1.5"])

def m_truncate(rng, t):
    if len(t) < 2: return t
    return t[: rng.randrange(1, len(t))]

def m_tabs_indent(rng, t):
    ls = lines_of(t)
    idx = [i for i, l in enumerate(ls) if l.startswith("  ")]
    if not idx: return t
    i = rng.choice(idx)
    ls[i] = "\t" + ls[i][2:]
    return "\n".join(ls)

def m_invalid_utf8(rng, t):
    b = t.encode()
    p = rng.randrange(0, max(1, len(b)))
    return b[:p] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf"]) + b[p:]

def m_long_string(rng, t):
    choice = rng.randrange(5)
    if choice == 0: return t + "\nzz: " + "[" * 100_000 + "]" * 100_000 + "\n"
    if choice == 1: return t + "\nzz: " + "{a: " * 12_000 + "1" + "}" * 12_000 + "\n"
    if choice == 2: return t + "\nzz: " + "[" * 9_000 + "1," * 30_000 + "]" * 9_000 + "\n"
    if choice == 3: return replace_value(rng, t, ["'" + "x" * 100_000 + "'"])
    return t + "\nzz: " + "- " * 10_001 + "x\n"

def m_raw_edit(rng, t):
    if not t: return t
    p = rng.randrange(len(t))
    op = rng.randrange(3)
    ch = rng.choice([":", "-", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", '"', "\\", " ", "\n", "?", "%", "@", "`"])
    if op == 0: return t[:p] + ch + t[p:]
    if op == 1: return t[:p] + t[p + 1:]
    return t[:p] + ch + t[p + 1:]

def m_multi(rng, t):
    for _ in range(rng.randrange(2, 4)):
        fn = rng.choice([m_delete_key, m_duplicate_key, m_change_type, m_raw_edit, m_invalid_duration, m_bad_label])
        t = fn(rng, t)
    if rng.random() < 0.2: t = t + "\n---\nfoo: 1\n"
    return t

def m_bad_url(rng, t):
    return replace_value(rng, t, ["'http://[::1'", "'://x'", "'http://a b'", "'%zz'", "'ftp://x'", "''"])

def m_relabel_invalid(rng, t):
    return replace_value(rng, t, ["'(('", "'\\\\C'", "'a**'", "'" + "(" * 1000 + "a" + ")" * 1000 + "'", "'[z-a]'", "'\\\\8'", "replace", "drop", "'${1'"])

def edit_line(rng, t, pattern, edit):
    """Rewrites one random line matching `pattern` (group 1: the part kept, group 2: the rest) with
    `edit(rng, rest)`; files without such a line get a raw edit instead."""
    ls = lines_of(t)
    idx = [i for i, l in enumerate(ls) if re.match(pattern, l)]
    if not idx: return m_raw_edit(rng, t)
    i = rng.choice(idx)
    m = re.match(pattern, ls[i])
    ls[i] = m.group(1) + edit(rng, m.group(2))
    return "\n".join(ls)

def _break_expr(rng, e):
    return [e + " )", "(" * 1001 + "up" + ")" * 1001, e.replace("[", "[1.5", 1), "up{a=~'\\\\C'}", "rate(up[5M])",
            e[: max(1, len(e) // 2)]][rng.randrange(6)]

def m_promql_break(rng, t):
    return edit_line(rng, t, r"^(\s*expr:\s*)(\S.*)$", _break_expr)

TEMPLATES = ["'{{ .Foo'", "'{{ if }}'", "'{{ end }}'", "'{{ nosuchfn 1 }}'", "'{{ $x }}'",
             "'" + "{{ if 1 }}" * 500 + "x" + "{{ end }}" * 500 + "'", "'{{ " + "(" * 1000 + "1" + ")" * 1000 + " }}'"]

def m_template_break(rng, t):
    return edit_line(rng, t, r"^(\s+(?:summary|description|message):\s*)(\S.*)$", lambda rng, _: rng.choice(TEMPLATES))

COMMON = {"delete_key": m_delete_key, "duplicate_key": m_duplicate_key, "change_type": m_change_type,
          "invalid_duration": m_invalid_duration, "bad_label": m_bad_label, "out_of_range": m_out_of_range,
          "truncate": m_truncate, "tabs_indent": m_tabs_indent, "invalid_utf8": m_invalid_utf8,
          "long_string": m_long_string, "raw_edit": m_raw_edit, "multi": m_multi}
CLASSES = {
    "config": dict(COMMON, bad_url=m_bad_url, relabel_invalid=m_relabel_invalid),
    "rules": dict(COMMON, promql_break=m_promql_break, template_break=m_template_break),
}

# ---------------------------------------------------------------- running

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

def cpu_seconds_so_far(pid):
    """User + system CPU of a running process (all its threads), from /proc/PID/stat; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None

def run(cmd, cwd, cpu_limit, wall_limit):
    """Exit code (or "timeout" / "wall-timeout"), stdout, stderr and the child's CPU seconds (user + system,
    from wait4). Time is judged by CPU: on a shared machine at load 20 a process can need ten times its CPU
    in wall time, so a wall clock would report timeouts that are only the machine's load. A watcher kills
    the child once it has used `cpu_limit` seconds of CPU ("timeout"); `wall_limit` (generous) only guards
    against a child that blocks without computing ("wall-timeout", reported apart)."""
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out_f, stderr=err_f, stdin=subprocess.DEVNULL)
        why = []
        done = threading.Event()
        def watch():
            waited = 0.0
            while not done.wait(0.25):
                waited += 0.25
                cpu = cpu_seconds_so_far(p.pid)
                if cpu is not None and cpu > cpu_limit:
                    why.append("timeout")
                elif waited > wall_limit:
                    why.append("wall-timeout")
                else:
                    continue
                try: p.kill()
                except OSError: pass
                return
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            done.set()
            watcher.join()
        p.returncode = os.waitstatus_to_exitcode(status)
        out_f.seek(0); err_f.seek(0)
        out = out_f.read(262144).decode("utf-8", "replace")
        err = err_f.read(262144).decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    if p.returncode == -signal.SIGKILL and why:
        rc = why[0]
    else:
        rc = p.returncode
    return rc, out, err, cpu

def scratch_for(seed_path, tmp_root):
    d = tempfile.mkdtemp(dir=tmp_root)
    src = os.path.dirname(os.path.abspath(seed_path))
    for name in os.listdir(src):
        os.symlink(os.path.join(src, name), os.path.join(d, name))
    return d

_scratch = threading.local()

def scratch_of_thread(seed_path, tmp_root):
    """One scratch folder per worker thread and seed, made once: linking a seed's siblings (hundreds for
    corpus/config) for every mutant cost more than running our tool. Each mutant overwrites mutant.yml."""
    dirs = getattr(_scratch, "dirs", None)
    if dirs is None:
        dirs = _scratch.dirs = {}
    if seed_path not in dirs:
        dirs[seed_path] = scratch_for(seed_path, tmp_root)
    return dirs[seed_path]

def check(binary, kind, name, cwd, cpu_limit, wall_limit):
    return run([binary, "check", "config" if kind == "config" else "rules", name], cwd, cpu_limit, wall_limit)

def find_seeds(kind, ours, real, tmp_root, limit):
    if kind == "config":
        cands = sorted(os.path.join(CORPUS, "config", f) for f in os.listdir(os.path.join(CORPUS, "config")) if f.endswith(".good.yml"))
        for dp, _, fs in os.walk(os.path.join(CORPUS, "wild", "configs")):
            cands += sorted(os.path.join(dp, f) for f in fs if f.endswith((".yml", ".yaml")) and "rules" not in f)
    else:
        cands = []
        for dp, _, fs in os.walk(os.path.join(CORPUS, "wild", "rules")):
            cands += sorted(os.path.join(dp, f) for f in fs if f.endswith((".yml", ".yaml")))
        cands.sort()
        cands = [c for c in cands if os.path.getsize(c) >= 300][: limit * 3]
    seeds = []
    for c in cands:
        d = os.path.dirname(c)
        a = check(real, kind, os.path.basename(c), d, 10, 120)
        b = check(ours, kind, os.path.basename(c), d, 10, 120)
        if a[0] == 0 and b[0] == 0:
            seeds.append(c)
        if len(seeds) >= limit:
            break
    return seeds

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", default="mutdiff-2")
    ap.add_argument("--per-kind", type=int, default=3000)
    ap.add_argument("--ours", default=os.path.join(ROOT, ".build", "release", "promtool-swift"))
    ap.add_argument("--real", default="/usr/bin/promtool")
    ap.add_argument("--kinds", default="config,rules")
    ap.add_argument("--cpu-timeout", type=float, default=10, help="CPU seconds after which a tool is killed (a timeout)")
    ap.add_argument("--wall-timeout", type=float, default=300, help="wall seconds after which a tool that is not computing is killed")
    ap.add_argument("--ours-only", action="store_true", help="run only ours (no agreement, only CPU per class): to time a release build on a campaign's mutants")
    ap.add_argument("--skip-classes", default="", help="comma-separated classes left out (e.g. long_string for a debug build, whose hostile inputs take seconds)")
    ap.add_argument("--only", default="", help="comma-separated mutant ids (c00063,r00417): run just these and keep their inputs")
    ap.add_argument("--out", default="/tmp/mutdiff")
    ap.add_argument("--jobs", type=int, default=4, help="mutants checked at once (each runs both tools in turn)")
    ap.add_argument("--real-cache", default="", help="folder of the real tool's results by input (its outputs do not depend on ours): reused when present, written when not")
    ap.add_argument("--prefill-real", action="store_true", help="run only the real tool, to fill --real-cache (e.g. while ours still builds); no report")
    args = ap.parse_args()
    args.ours = os.path.abspath(args.ours)
    os.makedirs(args.out, exist_ok=True)
    if args.real_cache:
        os.makedirs(args.real_cache, exist_ok=True)
    rows = load_table(TABLE)
    tmp_root = tempfile.mkdtemp(prefix="mutdiff-")
    only = set(filter(None, args.only.split(",")))
    inputs_dir = os.path.join(args.out, "inputs")
    os.makedirs(inputs_dir, exist_ok=True)
    report, records = [], []
    try:
        for kind in args.kinds.split(","):
            seeds = find_seeds(kind, args.ours, args.real, tmp_root, 40 if kind == "config" else 100)
            print(f"{kind}: {len(seeds)} seeds", file=sys.stderr)
            classes = sorted(c for c in CLASSES[kind] if c not in args.skip_classes.split(","))
            rng = random.Random(f"{args.seed}/{kind}")
            per_class = collections.defaultdict(lambda: collections.Counter())
            # Mutants come from one seeded sequence, so a campaign is reproducible however many run at once.
            jobs = []
            for i in range(args.per_kind):
                cls = classes[i % len(classes)]
                seed = rng.choice(seeds)
                with open(seed, encoding="utf-8", errors="surrogateescape") as f:
                    text = f.read()
                mutant = CLASSES[kind][cls](rng, text)
                data = mutant if isinstance(mutant, bytes) else mutant.encode("utf-8", "surrogateescape")
                if not only or f"{kind[0]}{i:05d}" in only:
                    jobs.append((i, cls, seed, data))

            def one(job):
                i, cls, seed, data = job
                d = scratch_of_thread(seed, tmp_root)
                with open(os.path.join(d, "mutant.yml"), "wb") as f:
                    f.write(data)
                cached = None
                if args.real_cache:
                    key = hashlib.sha256(f"{kind}\0{os.path.relpath(seed, CORPUS)}\0{args.cpu_timeout}\0".encode() + data).hexdigest()
                    cached = os.path.join(args.real_cache, key + ".json")
                r = None
                if cached and os.path.exists(cached):
                    with open(cached, encoding="utf-8") as f:
                        r = tuple(json.load(f))
                elif not args.ours_only:
                    r = check(args.real, kind, "mutant.yml", d, args.cpu_timeout, args.wall_timeout)
                    if cached:
                        with open(cached + ".tmp", "w", encoding="utf-8") as f:
                            json.dump(list(r), f)
                        os.replace(cached + ".tmp", cached)
                o = r if args.prefill_real else check(args.ours, kind, "mutant.yml", d, args.cpu_timeout, args.wall_timeout)
                if r is None:
                    r = o
                return job, o, r

            with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
                results = []
                for n, res in enumerate(pool.map(one, jobs), 1):
                    results.append(res)
                    if n % 250 == 0:
                        print(f"{kind}: {n}/{len(jobs)}", file=sys.stderr, flush=True)
            for (i, cls, seed, data), o, r in results:
                ot, rt = normalise(o[1], o[2], kind), normalise(r[1], r[2], kind, real=True)
                ours = {"rc": o[0], "text": ot, "kind": kind, "input": data.decode("utf-8", "replace")}
                real = {"rc": r[0], "text": rt}
                c = per_class[cls]
                c["mutants"] += 1
                if o[0] == "timeout": c["ours_timeout"] += 1
                if o[0] == "wall-timeout": c["ours_wall_timeout"] += 1
                if o[3] > 1.0: c["ours_over_1s_cpu"] += 1
                c["ours_max_cpu_ms"] = max(c["ours_max_cpu_ms"], round(o[3] * 1000))
                verdict = o[0] == r[0]
                message = verdict and ot == rt
                explained = None
                if not message:
                    explained = next((row["case"] for row in rows if EXPLAIN[row["case"]](ours, real)), None)
                c["verdict_agree"] += verdict
                c["message_agree"] += message
                c["agree_or_explained"] += message or explained is not None
                if not message and (explained is None or only):
                    # Kept to reproduce: every disagreement no table row explains (all of them with --only).
                    with open(os.path.join(inputs_dir, f"{kind[0]}{i:05d}.yml"), "wb") as f:
                        f.write(data)
                if not message:
                    records.append({"id": f"{kind[0]}{i:05d}", "kind": kind, "class": cls, "seed": os.path.relpath(seed, CORPUS),
                                    "explained_by": explained, "ours_rc": o[0], "real_rc": r[0], "ours": ot[:2000], "real": rt[:2000],
                                    "input_sha": hashlib.sha256(data).hexdigest()[:16], "ours_cpu_seconds": round(o[3], 3)})
            for cls in classes:
                c = per_class[cls]
                report.append((kind, cls, c))
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    with open(os.path.join(args.out, "differences.jsonl"), "w") as f:
        for r in records: f.write(json.dumps(r, ensure_ascii=False) + "\n")
    lines = ["| kind | class | mutants | verdict agree % | message agree % | agree or table row % | ours > 1 s CPU | ours max CPU ms | ours CPU timeout | ours wall kill |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    totals = collections.defaultdict(collections.Counter)
    maxcpu = collections.defaultdict(int)
    for kind, cls, c in report:
        n = max(1, c["mutants"])
        lines.append(f"| {kind} | {cls} | {c['mutants']} | {100*c['verdict_agree']/n:.1f} | {100*c['message_agree']/n:.1f} | {100*c['agree_or_explained']/n:.1f} | {c['ours_over_1s_cpu']} | {c['ours_max_cpu_ms']} | {c['ours_timeout']} | {c['ours_wall_timeout']} |")
        maxcpu[kind] = max(maxcpu[kind], c["ours_max_cpu_ms"])
        totals[kind].update({k: v for k, v in c.items() if k != "ours_max_cpu_ms"})
    for kind, c in totals.items():
        n = max(1, c["mutants"])
        lines.append(f"| **{kind}** | **all** | **{c['mutants']}** | **{100*c['verdict_agree']/n:.1f}** | **{100*c['message_agree']/n:.1f}** | **{100*c['agree_or_explained']/n:.1f}** | **{c['ours_over_1s_cpu']}** | **{maxcpu[kind]}** | **{c['ours_timeout']}** | **{c['ours_wall_timeout']}** |")
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))

if __name__ == "__main__":
    main()
