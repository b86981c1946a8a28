#!/usr/bin/env python3
"""Lint precision harness: runs `promtool-swift lint` over the real-world corpus one source unit at a time,
as an operator would, counts findings per check and prints a fixed-seed sample per check for review.

Source units (under ../shared/corpus/wild):
  - every prometheus.yml under configs/ (linted with the rule files it loads);
  - under rules/, manifests/ and unittest/: every directory that holds YAML files itself and whose parent
    does not, linted as one directory (so a unit-test folder with its rules/ and tests/ is one unit).

Usage:
  scripts/lint_precision.py [--bin PATH] [--corpus DIR] [--per-check N] [--seed S]
                            [--save FILE.json] [--compare BEFORE.json] [--review N]
  --save writes the per-check counts and every finding; --compare prints before → after per check;
  --review N prints a fixed-seed sample of N warnings/errors over all checks with the rule's text around it.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_binary():
    for conf in ("release", "debug"):
        p = os.path.join(ROOT, ".build", conf, "promtool-swift")
        if os.path.exists(p):
            return p
    sys.exit("no promtool-swift binary: run `swift build -c release --product promtool-swift` or pass --bin")


def is_yaml(name):
    return name.endswith(".yml") or name.endswith(".yaml")


def looks_like_config(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return False
    return any(line.startswith(k) for line in text.splitlines()
               for k in ("scrape_configs:", "global:", "rule_files:", "otlp:", "remote_write:"))


def source_units(wild):
    units = []
    configs = os.path.join(wild, "configs")
    for d, _, files in sorted(os.walk(configs)):
        for f in sorted(files):
            p = os.path.join(d, f)
            if is_yaml(f) and looks_like_config(p):
                units.append(os.path.relpath(p, wild))
    for top in ("rules", "manifests", "unittest"):
        base = os.path.join(wild, top)
        taken = []
        for d, dirs, files in os.walk(base):
            dirs.sort()
            if any(d.startswith(t + os.sep) for t in taken):
                continue
            if any(is_yaml(f) for f in files):
                taken.append(d)
                units.append(os.path.relpath(d, wild))
    return units


def lint(binary, wild, unit):
    p = subprocess.run([binary, "lint", "-o", "json", "--fail-on", "never", unit], cwd=wild,
                       capture_output=True, text=True)
    try:
        findings = json.loads(p.stdout or "[]")
    except json.JSONDecodeError:
        sys.exit(f"{unit}: output is not JSON (exit {p.returncode}): {p.stdout[:300]} {p.stderr[:300]}")
    for f in findings:
        f["unit"] = unit
    return findings, p.returncode


def context_lines(wild, finding, around=3):
    path = os.path.join(wild, finding["file"])
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    line = finding["line"]
    lo, hi = max(1, line - around), min(len(lines), line + around)
    return "\n".join(f"      {n:5d}{'>' if n == line else ' '} {lines[n - 1]}" for n in range(lo, hi + 1))


def show(wild, f, with_context):
    print(f"  - {f['file']}:{f['line']}:{f['column']}: {f['severity']}: {f['message']} [{f['check']}]")
    if with_context:
        print(context_lines(wild, f))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=None)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "wild"))
    ap.add_argument("--per-check", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--save")
    ap.add_argument("--compare")
    ap.add_argument("--review", type=int, default=0)
    ap.add_argument("--context", action="store_true", help="print the file lines around each sampled finding")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin) if args.bin else default_binary()
    wild = os.path.abspath(args.corpus)

    units = source_units(wild)
    findings, failing = [], []
    for u in units:
        fs, code = lint(binary, wild, u)
        findings += fs
        if code not in (0, 3):
            failing.append((u, code))

    counts = collections.Counter(f["check"] for f in findings)
    sev = collections.defaultdict(collections.Counter)
    for f in findings:
        sev[f["check"]][f["severity"]] += 1
    before = {}
    if args.compare:
        with open(args.compare) as fh:
            before = json.load(fh)["counts"]

    print(f"{len(units)} source units, {len(findings)} findings "
          f"({sum(1 for f in findings if f['severity'] != 'info')} warnings/errors)")
    if failing:
        print(f"units with exit code 1 (input errors): {len(failing)}: "
              + ", ".join(f"{u}" for u, _ in failing[:20]))
    print()
    print(f"{'check':40} {'before':>7} {'now':>7}  severities")
    for check in sorted(set(counts) | set(before)):
        b = str(before.get(check, "")) if args.compare else ""
        s = ", ".join(f"{k} {v}" for k, v in sorted(sev[check].items()))
        print(f"{check:40} {b:>7} {counts.get(check, 0):>7}  {s}")
    if args.compare:
        print(f"{'total':40} {sum(before.values()):>7} {len(findings):>7}")

    rng = random.Random(args.seed)
    by_check = collections.defaultdict(list)
    for f in findings:
        by_check[f["check"]].append(f)
    if args.per_check > 0:
        print("\n# Sample per check (seed %d)" % args.seed)
        for check in sorted(by_check):
            items = sorted(by_check[check], key=lambda f: (f["file"], f["line"], f["column"], f["message"]))
            print(f"\n{check} ({len(items)})")
            for f in rng.sample(items, min(args.per_check, len(items))):
                show(wild, f, args.context)

    if args.review > 0:
        loud = sorted((f for f in findings if f["severity"] != "info"),
                      key=lambda f: (f["file"], f["line"], f["column"], f["check"], f["message"]))
        print(f"\n# Review sample: {min(args.review, len(loud))} of {len(loud)} warnings/errors (seed {args.seed})")
        for i, f in enumerate(random.Random(args.seed).sample(loud, min(args.review, len(loud))), 1):
            print(f"\n[{i}]")
            show(wild, f, True)

    if args.save:
        with open(args.save, "w") as fh:
            json.dump({"counts": dict(counts), "findings": findings}, fh, indent=1)


if __name__ == "__main__":
    main()
