#!/usr/bin/env bash
# Fails with a clear message when the Go toolchain NovaCron needs is missing.
set -euo pipefail
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    echo "go is installed at /usr/local/go/bin but not on PATH: export PATH=\$PATH:/usr/local/go/bin" >&2
  else
    echo "Go 1.26 or newer is required and was not found (https://go.dev/dl/)." >&2
  fi
  exit 1
fi
version=$(go env GOVERSION | sed 's/^go//')
major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 26 ]; }; then
  echo "Go 1.26 or newer is required; found go$version." >&2
  exit 1
fi
