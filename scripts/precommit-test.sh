#!/usr/bin/env bash
# Manual end-to-end check of .pre-commit-hooks.yaml with `language: swift`, the way users consume it:
# pre-commit clones this checkout at HEAD and builds it with `swift build -c release` (several minutes;
# needs swift-argument-parser from the network or SwiftPM's cache). The automated test
# (Tests/LintTests/Integration/PreCommitHookTests.swift) uses the already-built binary instead.
#
# Usage: scripts/precommit-test.sh   (exits 0 when a bad rule file is rejected and a good one accepted)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rev="$(git -C "$root" rev-parse HEAD)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"

python3 -m pre_commit --version >/dev/null 2>&1 || python3 -m pip install --quiet pre-commit

cd "$work"
git init -q repo && cd repo
git config user.email t@example.com && git config user.name t && git config commit.gpgsign false
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: promtool-swift-check-rules
      - id: promtool-swift-lint
YAML
python3 -m pre_commit install >/dev/null
mkdir rules
cat > rules/good.yml <<'YAML'
groups:
  - name: good
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels: {severity: page}
        annotations: {summary: "{{ $labels.instance }} is down"}
YAML
git add -A && git commit -q -m good
cat > rules/bad.yml <<'YAML'
groups:
  - name: bad
    rules:
      - alert: HighLatency
        expr: latency_seconds > 1
        labels: {severity: page, latency: "{{ $value }}"}
        annotations: {summary: slow}
YAML
git add -A
if git commit -q -m bad; then
    echo "FAIL: the bad rule file was committed" >&2
    exit 1
fi
echo "OK: pre-commit (language: swift) rejected the bad rule file"
