#!/usr/bin/env python3
"""Writes an input file for `tsdb bench write` shaped like Prometheus's `tsdb/testdata/20kseries.json` (which is
not in our corpus): one JSON object of labels per line, `__name__` first, realistic Kubernetes/node-exporter
metric names and labels (histogram buckets with `le`, per-instance and per-pod series). Label values contain no
`:` or `,` — promtool's reader splits on both, so values like `10.0.0.1:9100` would be cut there (we do the same).
Deterministic. Usage: scripts/bench/gen_bench_series.py OUT [--series 20000]
"""
import argparse
import json

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--series", type=int, default=20000)
args = ap.parse_args()

families = [
    ("apiserver_request_latencies_bucket", ["resource", "verb", "scope", "le"]),
    ("apiserver_request_count", ["resource", "verb", "code", "client"]),
    ("container_cpu_usage_seconds_total", ["namespace", "pod_name", "container_name", "cpu"]),
    ("container_memory_usage_bytes", ["namespace", "pod_name", "container_name"]),
    ("container_network_receive_bytes_total", ["namespace", "pod_name", "interface"]),
    ("node_cpu_seconds_total", ["cpu", "mode"]),
    ("node_filesystem_avail_bytes", ["device", "fstype", "mountpoint"]),
    ("http_request_duration_seconds_bucket", ["handler", "method", "code", "le"]),
    ("kubelet_docker_operations_latency_microseconds", ["operation_type", "quantile"]),
    ("etcd_request_cache_get_latencies_summary", ["quantile"]),
]
values = {
    "resource": ["pods", "nodes", "services", "endpoints", "configmaps", "secrets", "deployments", "replicasets",
                 "persistentvolumes", "namespaces", "events", "leases"],
    "verb": ["GET", "LIST", "WATCH", "PUT", "PATCH", "POST", "DELETE"],
    "scope": ["cluster", "namespace", "resource"],
    "le": ["125000", "250000", "500000", "1e+06", "2e+06", "4e+06", "8e+06", "+Inf"],
    "code": ["200", "201", "304", "404", "409", "500"],
    "client": ["kubectl", "kube-scheduler", "kube-controller-manager", "kubelet", "Go-http-client"],
    "namespace": ["default", "kube-system", "monitoring", "ingress", "payments", "search"],
    "pod_name": ["web-%d" % i for i in range(40)],
    "container_name": ["app", "sidecar", "POD", "istio-proxy"],
    "cpu": ["cpu%02d" % i for i in range(16)],
    "interface": ["eth0", "eth1", "lo", "cni0"],
    "mode": ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"],
    "device": ["/dev/sda1", "/dev/sdb1", "/dev/nvme0n1p1", "tmpfs", "overlay"],
    "fstype": ["ext4", "xfs", "tmpfs", "overlay"],
    "mountpoint": ["/", "/var/lib/docker", "/run", "/boot", "/home"],
    "handler": ["/api/v1/query", "/api/v1/query_range", "/metrics", "/-/healthy", "/api/v1/series", "/federate"],
    "method": ["get", "post"],
    "operation_type": ["create_container", "start_container", "stop_container", "list_images", "inspect_image"],
    "quantile": ["0.5", "0.9", "0.99"],
}

written = 0
seen = set()
with open(args.out, "w") as f:
    i = 0
    while written < args.series:
        name, labels = families[i % len(families)]
        k = i // len(families)
        obj = {"__name__": name}
        for pos, label in enumerate(labels):
            vs = values[label]
            obj[label] = vs[(k // (1 + pos * 3)) % len(vs)]
        obj["instance"] = "node-%03d.cluster.local" % (k % 97)
        obj["job"] = "kubernetes-nodes" if name.startswith(("node_", "container_", "kubelet_")) else "kubernetes-apiservers"
        i += 1
        key = tuple(sorted(obj.items()))
        if key in seen:
            continue
        seen.add(key)
        f.write(json.dumps(obj, separators=(",", ":")) + "\n")
        written += 1
