#!/usr/bin/env bash
# The steps a CI pipeline runs on a NovaCron spec, in order. The GitHub
# Actions workflow and the GitLab CI file beside this script call it, one
# stage per step, so what runs in CI is what this script does (and what
# its test runs: cmd/nova-plan's TestExamplePipeline).
#
#   pipeline.sh check   # validate, fmt -check, policy unit tests
#   pipeline.sh plan    # plan with policies; saves plan.bin and summary.md; exit 0 no changes, 2 changes
#   pipeline.sh apply   # apply the saved plan.bin (refused if the state changed since)
#
# Environment: SPEC_DIR (the spec folder, default .), POLICY_DIR (default
# policy), NOVA_PLAN (the binary, default nova-plan), OUT_DIR (where plan.bin
# and summary.md go, default .), and for a shared backend NOVA_PG_CONN_STR,
# NOVA_STATE_KEY and NOVA_WORKSPACE as the pipeline's secrets.
set -euo pipefail
nova=${NOVA_PLAN:-nova-plan}
spec=${SPEC_DIR:-.}
policy=${POLICY_DIR:-policy}
out=${OUT_DIR:-.}

case ${1:-} in
check)
  "$nova" -chdir="$spec" validate
  "$nova" fmt -check "$spec"
  "$nova" policy test "$policy"
  ;;
plan)
  # -detailed-exitcode: 0 nothing to do, 2 changes, 1 error or a policy denial.
  set +e
  "$nova" -chdir="$spec" plan -lock-timeout=5m -policy="$(realpath "$policy")" \
    -out="$(realpath "$out")/plan.bin" -detailed-exitcode -no-color
  code=$?
  set -e
  if [ "$code" -eq 1 ]; then
    # An error or a policy denial: the summary lists the denials, so the
    # pull request shows why it is refused (empty when planning failed).
    "$nova" -chdir="$spec" plan -lock-timeout=5m -policy="$(realpath "$policy")" -markdown > "$out/summary.md" || true
    exit 1
  fi
  if [ "$code" -eq 2 ]; then
    "$nova" -chdir="$spec" show -markdown "$(realpath "$out")/plan.bin" > "$out/summary.md"
  else
    echo "**No changes.** The VMs match the spec." > "$out/summary.md"
  fi
  exit "$code"
  ;;
apply)
  "$nova" -chdir="$spec" apply -lock-timeout=5m -policy="$(realpath "$policy")" -no-color "$(realpath "$out")/plan.bin"
  ;;
*)
  echo "usage: pipeline.sh check|plan|apply" >&2
  exit 1
  ;;
esac
