#!/usr/bin/env python3
"""Generates a `promtool test rules` benchmark: a rule file (2 recording + 2 alerting rules) and a unit-test
file with 1,000 input series x 6 h at 15 s, alert tests every 10 minutes and expression tests every 15 minutes.

Every expected value is exact (integer sums, threshold crossings computed here), so promtool and
promtool-swift must both pass it.
Usage: gen_unittest.py OUT_DIR   (writes OUT_DIR/bench_rules.yml and OUT_DIR/bench_test.yml)
"""
import os
import sys

INSTANCES = 1000
JOBS = 10
SAMPLES = 6 * 60 * 4          # 6 h at 15 s
THRESHOLD = 216000            # JobHighTotal: job:req_total:sum > THRESHOLD for 5m
MAX_EVAL_MIN = 355

RULES = """groups:
  - name: bench
    rules:
      - record: job:req_total:sum
        expr: sum by (job) (req_total)
      - record: instance:req:rate1m
        expr: rate(req_total[1m])
      - alert: JobHighTotal
        expr: job:req_total:sum > %d
        for: 5m
        labels:
          severity: page
        annotations:
          summary: "job {{ $labels.job }} is high"
          description: '{{ $value | printf "%%.0f" }} requests'
      - alert: InstanceFast
        expr: instance:req:rate1m > 0.3
        for: 2m
        labels:
          severity: ticket
        annotations:
          summary: "{{ $labels.instance }} of {{ $labels.job }} is fast"
""" % THRESHOLD


def rate_step(job):
    """Counter increment per 15 s sample of every instance of job `job` (1..5)."""
    return 1 + job % 5


def job_sum(job, minute):
    """job:req_total:sum at an evaluation minute: 100 instances, 4 samples per minute."""
    return (INSTANCES // JOBS) * 4 * minute * rate_step(job)


def job_firing(job, minute):
    first_active = None
    for m in range(0, minute + 1):
        if job_sum(job, m) > THRESHOLD:
            first_active = m
            break
    return first_active is not None and minute - first_active >= 5


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench_rules.yml"), "w") as f:
        f.write(RULES)
    lines = ["rule_files:", "  - bench_rules.yml", "", "evaluation_interval: 1m", "", "tests:",
             "  - name: bench", "    interval: 15s", "    input_series:"]
    for k in range(INSTANCES):
        job = k % JOBS
        lines.append(f"      - series: 'req_total{{job=\"job-{job}\", instance=\"i-{k}\"}}'")
        lines.append(f"        values: '0+{rate_step(job)}x{SAMPLES - 1}'")
    lines.append("    alert_rule_test:")
    for minute in range(0, MAX_EVAL_MIN + 1, 10):
        lines.append(f"      - eval_time: {minute}m")
        lines.append("        alertname: JobHighTotal")
        firing = [j for j in range(JOBS) if job_firing(j, minute)]
        if firing:
            lines.append("        exp_alerts:")
            for j in firing:
                lines += ["          - exp_labels:", f"              job: job-{j}", "              severity: page",
                          "            exp_annotations:", f"              summary: job job-{j} is high",
                          f"              description: {job_sum(j, minute)} requests"]
        lines.append(f"      - eval_time: {minute}m")
        lines.append("        alertname: InstanceFast")
        # rate over [1m] needs two samples (from 1m on), then 2m pending: instances of steps 5 fire from 3m.
        if minute >= 3:
            lines.append("        exp_alerts:")
            for k in range(INSTANCES):
                job = k % JOBS
                if rate_step(job) != 5:
                    continue
                lines += ["          - exp_labels:", f"              job: job-{job}", f"              instance: i-{k}",
                          "              severity: ticket", "            exp_annotations:",
                          f"              summary: i-{k} of job-{job} is fast"]
    lines.append("    promql_expr_test:")
    for minute in range(0, MAX_EVAL_MIN + 1, 15):
        lines += [f"      - expr: job:req_total:sum", f"        eval_time: {minute}m", "        exp_samples:"]
        for j in range(JOBS):
            lines += [f"          - labels: 'job:req_total:sum{{job=\"job-{j}\"}}'", f"            value: {job_sum(j, minute)}"]
        lines += ["      - expr: count(ALERTS{alertname=\"InstanceFast\", alertstate=\"firing\"})",
                  f"        eval_time: {minute}m", "        exp_samples:" if minute >= 3 else "        exp_samples: []"]
        if minute >= 3:
            lines.append(f"          - value: {INSTANCES // 5}")
    with open(os.path.join(out, "bench_test.yml"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
