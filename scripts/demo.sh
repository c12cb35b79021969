#!/usr/bin/env bash
# Runs the quickstart: plan, apply, and a second plan that must show no
# changes (-detailed-exitcode: 0 means none). Starts from a fresh simulated
# cluster so the demo shows the same thing every time: it removes the
# state, history and simulator under $dir/.nova, but never .nova/server
# (the users, signing key and audit log of `nova-plan serve`).
set -euo pipefail
bin=$(realpath "$1")
dir=$2
if [ -d "$dir/.nova" ]; then
  find "$dir/.nova" -mindepth 1 -maxdepth 1 ! -name server -exec rm -rf {} +
fi
echo "==> nova-plan plan"
"$bin" -chdir="$dir" plan
echo
echo "==> nova-plan apply -auto-approve"
"$bin" -chdir="$dir" apply -auto-approve
echo
echo "==> nova-plan plan -detailed-exitcode   (exit 0: nothing left to do)"
set +e
"$bin" -chdir="$dir" plan -detailed-exitcode
code=$?
set -e
if [ "$code" -ne 0 ]; then
  echo "demo: the second plan was not empty (exit $code)" >&2
  exit 1
fi
echo
echo "==> nova-plan inventory"
"$bin" -chdir="$dir" inventory
echo
echo "==> Serve the demo's workspace: the REST API, the dashboard, /metrics and /ws/status"
echo "    $1 -chdir=$dir serve"
echo "    then open http://127.0.0.1:8090/ and log in as admin. The first start writes admin's"
echo "    password to $dir/.nova/server/initial-admin-password; later demos keep the users"
echo "    (nova-plan -chdir=$dir serve user password admin sets a new one). docs/dashboard.md"
