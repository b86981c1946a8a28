#!/usr/bin/env python3
"""Generates a prometheus.yml with many scrape jobs and rule files beside it.

Usage: gen_config.py OUT_DIR [JOBS=2000] [RULE_FILES=20] [RULES_PER_FILE=50]
"""
import os
import subprocess
import sys

out_dir = sys.argv[1]
jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rule_files = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rules_per_file = int(sys.argv[4]) if len(sys.argv) > 4 else 50
os.makedirs(os.path.join(out_dir, "rules"), exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(out_dir, "prometheus.yml"), "w") as f:
    f.write("""global:
  scrape_interval: 15s
  evaluation_interval: 15s
  external_labels:
    environment: production
    cluster: eu-1
rule_files:
  - rules/*.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['alertmanager-0:9093', 'alertmanager-1:9093']
scrape_configs:
""")
    for j in range(jobs):
        f.write(f"""  - job_name: service-{j}
    scrape_interval: {[15, 30, 60][j % 3]}s
    scrape_timeout: 10s
    metrics_path: /metrics
    sample_limit: 50000
    basic_auth:
      username: scraper
      password: secret-{j}
    static_configs:
      - targets: ['svc-{j}-a:9100', 'svc-{j}-b:9100', 'svc-{j}-c:9100']
        labels:
          team: team-{j % 17}
    relabel_configs:
      - source_labels: [__address__]
        regex: '([^:]+):\\d+'
        target_label: host
        replacement: '$1'
      - action: labeldrop
        regex: 'tmp_.*'
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_gc_.*'
        action: drop
""")

for r in range(rule_files):
    subprocess.run([sys.executable, os.path.join(here, "gen_rules.py"),
                    os.path.join(out_dir, "rules", f"rules_{r}.yml"), str(rules_per_file), "10"], check=True)
