#!/usr/bin/env bash
# upgrade-fixtures.sh — regenerate the upgrade fixtures from the commits that
# wrote each persisted format, so that anyone can check they are real.
#
#   scripts/upgrade-fixtures.sh            every fixture
#   scripts/upgrade-fixtures.sh nova       nova-plan's (state, journal, plan file, sim)
#   scripts/upgrade-fixtures.sh provider   the provider's Terraform state
#
# For each commit it checks the commit out in a detached worktree (git
# worktree add), builds nova-plan or the provider there, and runs it on the
# simulator:
#   cmd/nova-plan/testdata/upgrade/COMMIT-base     apply of estate.nova.hcl, then
#                                                   plan -var web_count=4 -out=plan.bin
#   cmd/nova-plan/testdata/upgrade/COMMIT-journal  the same apply, then an apply of
#                                                   web_count=6 killed (SIGKILL) once
#                                                   state.journal holds two records
#   cmd/nova-plan/testdata/upgrade/COMMIT-sealed   the journal run with NOVA_STATE_KEY set
#   cmd/terraform-provider-novacron/testdata/upgrade/COMMIT-schemaN
#                                                   terraform apply of estate.tf through
#                                                   dev_overrides
# Each fixture folder is a working folder: main.nova.hcl (or main.tf), nova/
# (the .nova folder: state, journal, history, the simulator's cluster) or
# novacron/ (the provider's .novacron) and tfstate.json (terraform.tfstate),
# renamed so that .gitignore keeps none of them out. Lock files are left
# out: they hold only the holder's pid. What differs between two runs is
# lineages, times, ids and which records the killed apply wrote: the tests
# depend on none of them.
#
# Needs git, go and terraform (/usr/local/bin/terraform); builds under
# bin/upgrade-fixtures (or $UPGRADE_FIXTURES_WORK: a folder that allows exec).
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
work=${UPGRADE_FIXTURES_WORK:-$root/bin/upgrade-fixtures}
novadata=cmd/nova-plan/testdata/upgrade
tfdata=cmd/terraform-provider-novacron/testdata/upgrade
# A throwaway key for the sealed fixtures, also in the tests: base64 of
# "novacron-upgrade-fixture-key-32b".
export FIXTURE_KEY=bm92YWNyb24tdXBncmFkZS1maXh0dXJlLWtleS0zMmI=

# The commits, each the last one on main before a format change landed
# (see cmd/nova-plan/testdata/upgrade/README.md), and main when the
# fixtures of the current formats were made.
plan_v1=71b013dba3730a3495ff940f4fda3d0a26b5e115     # before plan format 2 (d7c63d4)
sim_json=fba7ae195d37b2762836bf63beb5effdf12e1faa    # before the compact sim snapshot (397a7c0); journal 1
journal_v1=29320fc332d0d9f32a95c5db6dd1f8b1cd3af594  # before journal version 2 (14ba85d)
schema_v0=15265a3e5e5d5b3133109fea0d5ed7aa5661691a   # before the provider's schema version 1 (413d684)
current=64eb284e8ae4d3c63ad49a0d62c5810b6b13d863     # main on 2026-12-06: the current formats

mkdir -p "$work"

# build COMMIT PKG OUT: build ./PKG of COMMIT into OUT.
build() {
  local src=$work/src-${1:0:7}
  if [ ! -d "$src" ]; then
    git worktree add --detach "$src" "$1" >/dev/null
  fi
  (cd "$src" && go build -o "$3" "./$2")
}

cleanup() {
  for src in "$work"/src-*; do
    [ -d "$src" ] && git worktree remove --force "$src"
  done
  return 0
}
trap cleanup EXIT

# copy_nova RUN DEST: the fixture folder DEST from the run folder RUN.
copy_nova() {
  rm -rf "$2"
  mkdir -p "$2/nova"
  cp "$1/main.nova.hcl" "$2/"
  [ -f "$1/plan.bin" ] && cp "$1/plan.bin" "$2/"
  (cd "$1/.nova" && find . -type f ! -name '*.lock' -exec cp --parents {} "$2/nova/" \;)
  return 0
}

# kill_midway NOVA DIR: an apply of two more VMs, one at a time and slowly,
# killed with SIGKILL once state.journal holds two records.
kill_midway() {
  local nova=$1 dir=$2
  (cd "$dir" && exec "$nova" apply -auto-approve -no-color -parallelism=1 -var web_count=6 -var sim_latency=400ms >"$dir/killed.out" 2>&1) &
  local pid=$!
  for _ in $(seq 1 150); do
    sleep 0.1
    if [ -f "$dir/.nova/state.journal" ] && [ "$(wc -l <"$dir/.nova/state.journal")" -ge 3 ]; then
      kill -9 "$pid"
      wait "$pid" 2>/dev/null || true
      return 0
    fi
  done
  kill -9 "$pid" 2>/dev/null || true
  echo "upgrade-fixtures: the apply wrote no journal of two records within 15 s" >&2
  cat "$dir/killed.out" >&2
  return 1
}

# nova_fixtures COMMIT KINDS...: build nova-plan at COMMIT and make its fixtures.
nova_fixtures() {
  local commit=$1 short=${1:0:7} bin=$work/nova-plan-${1:0:7}
  shift
  build "$commit" cmd/nova-plan "$bin"
  for kind in "$@"; do
    local run=$work/run-$short-$kind
    rm -rf "$run" && mkdir -p "$run"
    cp "$novadata/estate.nova.hcl" "$run/main.nova.hcl"
    (
      cd "$run"
      [ "$kind" = sealed ] && export NOVA_STATE_KEY=$FIXTURE_KEY
      "$bin" apply -auto-approve -no-color >/dev/null
      case $kind in
        base) "$bin" plan -no-color -var web_count=4 -out=plan.bin >/dev/null ;;
        journal | sealed) kill_midway "$bin" "$run" ;;
      esac
    )
    copy_nova "$run" "$root/$novadata/$short-$kind"
    echo "upgrade-fixtures: $novadata/$short-$kind"
  done
}

# provider_fixture COMMIT NAME: build the provider at COMMIT and apply
# estate.tf with it through dev_overrides.
provider_fixture() {
  local commit=$1 short=${1:0:7} plugins=$work/provider-${1:0:7}
  build "$commit" cmd/terraform-provider-novacron "$plugins/terraform-provider-novacron"
  local run=$work/run-$short-tf
  rm -rf "$run" && mkdir -p "$run"
  cp "$tfdata/estate.tf" "$run/main.tf"
  printf 'provider_installation {\n  dev_overrides {\n    "novacron/novacron" = "%s"\n  }\n  direct {}\n}\n' "$plugins" >"$run/cli.tfrc"
  (cd "$run" && TF_CLI_CONFIG_FILE=$run/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
    terraform apply -auto-approve -no-color >"$run/apply.out" 2>&1) || { cat "$run/apply.out" >&2; return 1; }
  local dest=$root/$tfdata/$short-$2
  rm -rf "$dest" && mkdir -p "$dest/novacron"
  cp "$run/main.tf" "$dest/"
  cp "$run/terraform.tfstate" "$dest/tfstate.json"
  (cd "$run/.novacron" && find . -type f ! -name '*.lock' -exec cp --parents {} "$dest/novacron/" \;)
  echo "upgrade-fixtures: $tfdata/$short-$2"
}

what=${1:-all}
if [ "$what" = all ] || [ "$what" = nova ]; then
  nova_fixtures "$plan_v1" base
  nova_fixtures "$sim_json" base journal
  nova_fixtures "$journal_v1" base journal sealed
  nova_fixtures "$current" base journal sealed
fi
if [ "$what" = all ] || [ "$what" = provider ]; then
  provider_fixture "$schema_v0" schema0
  provider_fixture "$current" schema1
fi
