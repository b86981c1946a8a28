#!/usr/bin/env python3
"""Generates a realistic rule file: recording and alerting rules over typical service metrics.

Usage: gen_rules.py OUT.yml [RULES=20000] [GROUP_SIZE=20]
"""
import random
import sys

out = sys.argv[1]
n_rules = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
group_size = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rnd = random.Random(42)

services = ["api", "web", "auth", "billing", "search", "cart", "checkout", "sse", "ingest", "export"]
windows = ["1m", "5m", "10m", "30m", "1h"]
codes = ["5..", "4..", "2.."]

def recording(i):
    svc = rnd.choice(services)
    w = rnd.choice(windows)
    kind = i % 6
    if kind == 0:
        return (f"job:{svc}_http_requests:rate{w}_{i}",
                f'sum by (job, instance) (rate({svc}_http_requests_total{{code=~"{rnd.choice(codes)}"}}[{w}]))')
    if kind == 1:
        return (f"job:{svc}_latency_seconds:p99_{w}_{i}",
                f"histogram_quantile(0.99, sum by (le, job) (rate({svc}_request_duration_seconds_bucket[{w}])))")
    if kind == 2:
        return (f"instance:{svc}_cpu:ratio_{i}",
                f'1 - avg without (cpu, mode) (rate(node_cpu_seconds_total{{mode="idle", job="{svc}"}}[{w}]))')
    if kind == 3:
        return (f"job:{svc}_errors:ratio_{w}_{i}",
                f'sum(rate({svc}_http_requests_total{{code=~"5.."}}[{w}])) / sum(rate({svc}_http_requests_total[{w}]))')
    if kind == 4:
        return (f"job:{svc}_memory_bytes:max_{i}",
                f'max_over_time(process_resident_memory_bytes{{job="{svc}"}}[{w}]) * on (instance) group_left (version) {svc}_build_info')
    return (f"cluster:{svc}_queue_depth:avg_{i}",
            f'avg by (cluster) (label_replace({svc}_queue_depth, "cluster", "$1", "instance", "([^:]+):.*")) offset 1m')

def alerting(i):
    svc = rnd.choice(services)
    w = rnd.choice(windows)
    kind = i % 4
    if kind == 0:
        expr = f'(sum(rate({svc}_http_requests_total{{status!="success"}}[{w}])) / sum(rate({svc}_http_requests_total[{w}]))) > 0.05'
        name = f"{svc.capitalize()}HighErrorRate{i}"
    elif kind == 1:
        expr = f"histogram_quantile(0.95, sum(rate({svc}_request_duration_seconds_bucket[{w}])) by (le)) > 2"
        name = f"{svc.capitalize()}HighP95Latency{i}"
    elif kind == 2:
        expr = f'up{{job="{svc}"}} == 0'
        name = f"{svc.capitalize()}Down{i}"
    else:
        expr = f'predict_linear(node_filesystem_avail_bytes{{job="{svc}", fstype!="tmpfs"}}[6h], 4 * 3600) < 0'
        name = f"{svc.capitalize()}DiskFull{i}"
    return name, expr

with open(out, "w") as f:
    f.write("groups:\n")
    for i in range(n_rules):
        if i % group_size == 0:
            f.write(f"  - name: group_{i // group_size}\n    interval: 30s\n    rules:\n")
        if i % 3 == 2:
            name, expr = alerting(i)
            f.write(f"      - alert: {name}\n        expr: {expr}\n        for: 5m\n")
            f.write("        labels:\n          severity: warning\n          team: sre\n")
            f.write("        annotations:\n")
            f.write('          summary: "{{ $labels.job }} on {{ $labels.instance }} is unhealthy"\n')
            f.write('          description: "Value is {{ $value | humanize }} for {{ $labels.instance }}"\n')
        else:
            name, expr = recording(i)
            f.write(f"      - record: {name}\n        expr: {expr}\n")
            f.write(f"        labels:\n          source: generated\n")
