#!/usr/bin/env bash
# make docs: regenerate the provider's registry docs (docs/index.md,
# docs/resources/, docs/data-sources/) with tfplugindocs, from the schema
# descriptions, templates/ and examples/. The schema comes from the real
# Terraform CLI (terraform providers schema -json) through dev_overrides, so
# nothing is downloaded but tfplugindocs itself (a Go module). Only those
# three paths of docs/ are written: the rest of docs/ is the CLI's guide.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/check-terraform.sh >/dev/null
tfplugindocs=${TFPLUGINDOCS:-go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/terraform-provider-novacron" ./cmd/terraform-provider-novacron
printf 'provider_installation {\n  dev_overrides {\n    "novacron/novacron" = "%s"\n  }\n  direct {}\n}\n' "$work/bin" >"$work/cli.tfrc"
mkdir -p "$work/schema" "$work/src"
printf 'terraform {\n  required_providers {\n    novacron = { source = "novacron/novacron" }\n  }\n}\n' >"$work/schema/main.tf"
TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 terraform -chdir="$work/schema" providers schema -json >"$work/schema.json"
# tfplugindocs looks the provider up by its short name.
python3 - "$work/schema.json" <<'PY'
import json, sys
path = sys.argv[1]
doc = json.load(open(path))
doc["provider_schemas"] = {"novacron": doc["provider_schemas"]["registry.terraform.io/novacron/novacron"]}
json.dump(doc, open(path, "w"))
PY
cp -r templates examples "$work/src/"
(cd "$work/src" && $tfplugindocs generate --provider-dir . --provider-name novacron \
  --rendered-provider-name NovaCron --providers-schema "$work/schema.json")
rm -rf docs/resources docs/data-sources
mkdir -p docs
cp -r "$work/src/docs/index.md" "$work/src/docs/resources" "$work/src/docs/data-sources" docs/
echo "docs: wrote docs/index.md, docs/resources/, docs/data-sources/"
