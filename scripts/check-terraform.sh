#!/usr/bin/env bash
# Fails with a clear message when the Terraform CLI that the provider's
# acceptance and end-to-end tests run is missing. They never skip: a test
# run without Terraform is a failed run, not a quietly smaller one.
set -euo pipefail
tf=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}
if [ -z "$tf" ] || [ ! -x "$tf" ]; then
  echo "The Terraform CLI is missing: the provider's acceptance and end-to-end tests need it." >&2
  echo "Install Terraform 1.11.4 (these machines have it at /usr/local/bin/terraform) or set TF_ACC_TERRAFORM_PATH." >&2
  exit 1
fi
version=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$tf" version 2>/dev/null | sed -n 1p)
echo "terraform: $tf ($version)"
