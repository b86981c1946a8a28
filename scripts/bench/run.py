#!/usr/bin/env python3
"""Times promtool-swift against /usr/bin/promtool on the same inputs, in one run.

Each case runs both commands once untimed (warm-up), then alternately N times (default 5), and reports the
median wall time and the median peak RSS (GNU time's %M, see peakrss.py) of each, their ratio (ours / promtool) and the
goal from the issues. Exit codes must agree (except for lint, which exits 3 on findings), or the case is
flagged. Generated inputs are checked with promtool first; the run stops if promtool rejects one.
The machine's load average is printed before and after: on a shared machine, wall times include waiting.
Usage: scripts/bench/run.py [--runs N] [--only SUBSTRING] [--no-build]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import peakrss

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
PROMTOOL = "/usr/bin/promtool"


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "promtool-swift"], cwd=ROOT, check=True)
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "promtool-swift")


def measure(cmd, stdin_path=None):
    """Wall seconds, peak RSS in MiB, exit code and CPU seconds (user+sys) of one run (via wait4 on the child)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    argv, rss_path = peakrss.wrap(cmd)
    p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if stdin_path:
        stdin.close()
    return wall, peakrss.read_mib(rss_path), os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def case(name, ours, theirs, runs, stdin_path=None, same_codes=True, goal=None, bound=None):
    ow, orss, tw, trss, oc, tc = [], [], [], [], [], []
    codes = set()
    measure(ours, stdin_path)
    measure(theirs, stdin_path)
    for _ in range(runs):
        w, r, c1, cpu = measure(ours, stdin_path)
        ow.append(w); orss.append(r); oc.append(cpu)
        w, r, c2, cpu = measure(theirs, stdin_path)
        tw.append(w); trss.append(r); tc.append(cpu)
        codes.add((c1, c2))
    mw, mr, pw, pr, mc, pc = (statistics.median(x) for x in (ow, orss, tw, trss, oc, tc))
    flag = "" if not same_codes or all(a == b for a, b in codes) else f"  EXIT CODES DIFFER {sorted(codes)}"
    verdict = ""
    if goal:
        tg, mg = goal
        ok = mw / pw <= tg and (mg is None or mr / pr <= mg)
        verdict = f"  goal time<={tg}x" + (f" mem<={mg}x" if mg else "") + (": met" if ok else ": MISSED")
    if bound:
        # CPU time: on the shared machine wall time mostly measures waiting for a core.
        verdict += f"  bound ours<={bound:g}s CPU: " + ("met" if mc <= bound else "MISSED")
    print(f"{name:44s} ours {mw*1000:8.1f} ms {mr:7.1f} MiB | promtool {pw*1000:8.1f} ms {pr:7.1f} MiB"
          f" | time {mw/pw:5.3f}x  mem {mr/pr:5.3f}x  cpu {mc*1000:.0f}/{pc*1000:.0f} ms = {mc/max(pc, 1e-9):5.3f}x"
          f"{verdict}{flag}")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--no-build", action="store_true", help="use the existing release binary")
    args = ap.parse_args()
    if args.no_build:
        ours = os.path.join(ROOT, ".build/release/promtool-swift")
    else:
        ours = build()
    work = tempfile.mkdtemp(prefix="promtool-bench-")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_config.py"), os.path.join(work, "big"), "2000", "20", "50"], check=True)
    rules = os.path.join(work, "rules20k.yml")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_rules.py"), rules, "20000"], check=True)
    unittest_dir = os.path.join(work, "unittest")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_unittest.py"), unittest_dir], check=True)
    lintcfg = os.path.join(work, "lint")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_config.py"), lintcfg, "200", "0"], check=True)
    # Hostile nesting (issue 16, crashes/01): 100,000 `[` once took 35 s; every input must answer in O(n).
    deep = os.path.join(work, "deep100k.yml")
    with open(deep, "w") as f:
        f.write("[" * 100_000)
    deep_open = os.path.join(work, "deep-open-9k.yml")
    with open(deep_open, "w") as f:
        f.write("groups: []\nzz: " + "[" * 9_000 + "1," * 100_000 + "]" * 9_000 + "\n")
    size = os.path.getsize(rules) / 1e6
    for check in (["check", "config", os.path.join(work, "big/prometheus.yml")],
                  ["check", "config", os.path.join(lintcfg, "prometheus.yml")],
                  ["check", "rules", rules],
                  ["test", "rules", os.path.join(unittest_dir, "bench_test.yml")]):
        r = subprocess.run([PROMTOOL] + check, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"promtool rejects a generated input: {' '.join(check)}\n{r.stdout}{r.stderr}")
    print(f"inputs in {work}; rules file {size:.1f} MB; runs per case: {args.runs} after a warm-up (medians)")
    print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} CPUs")

    cases = [
        ("check config testdata/prometheus.yml",
         [ours, "check", "config", os.path.join(ROOT, "testdata/prometheus.yml")],
         [PROMTOOL, "check", "config", os.path.join(ROOT, "testdata/prometheus.yml")], (0.5, None)),
        ("check config 2000 jobs + 20 rule files",
         [ours, "check", "config", os.path.join(work, "big/prometheus.yml")],
         [PROMTOOL, "check", "config", os.path.join(work, "big/prometheus.yml")], (0.5, None)),
        ("check rules 20000 rules",
         [ours, "check", "rules", rules],
         [PROMTOOL, "check", "rules", rules], (0.3, 0.5)),
        ("test rules 1000 series x 6h, 2+2 rules",
         [ours, "test", "rules", os.path.join(unittest_dir, "bench_test.yml")],
         [PROMTOOL, "test", "rules", os.path.join(unittest_dir, "bench_test.yml")], (0.35, None)),
        ("lint 20000 rules + 200 jobs (vs check rules)",
         [ours, "lint", os.path.join(lintcfg, "prometheus.yml"), rules],
         [PROMTOOL, "check", "rules", rules], (1.0, None)),
    ]
    for name, a, b, goal in cases:
        if args.only and args.only not in name:
            continue
        case(name, a, b, args.runs, same_codes=not name.startswith("lint"), goal=goal)
    # Verdicts must come within a generous absolute bound, whatever promtool takes.
    for name, path in (("check rules 100,000 [ (deep flow nesting)", deep),
                       ("check rules 9,000 open [ over 200,000 tokens", deep_open)):
        if args.only and args.only not in name:
            continue
        case(name, [ours, "check", "rules", path], [PROMTOOL, "check", "rules", path], args.runs, same_codes=False, bound=1.0)
    metrics = os.path.join(ROOT, "../shared/corpus/promtool/metrics-test.prom")
    if os.path.exists(metrics) and (not args.only or "metrics" in args.only):
        case("check metrics metrics-test.prom", [ours, "check", "metrics"], [PROMTOOL, "check", "metrics"], args.runs, metrics)
    print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
