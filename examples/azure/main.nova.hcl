# A web fleet on Microsoft Azure. It needs a real subscription: see
# README.md beside this file for the resource group, subnet and
# credentials it expects. NovaCron's own tests run it against the Azure
# SDK's server fakes (internal/azuretest, TestExample).
#
#   export NOVACRON_AZURE_SUBSCRIPTION_ID=<your subscription ID>
#   export NOVA_VAR_subnet_id=/subscriptions/…/subnets/default
#   export NOVA_VAR_ssh_public_key="$(cat ~/.ssh/id_ed25519.pub)"
#   az login                      # or AZURE_CLIENT_ID/_TENANT_ID/_CLIENT_SECRET
#   nova-plan -chdir=examples/azure plan
#   nova-plan -chdir=examples/azure apply
#   nova-plan -chdir=examples/azure destroy

variable "subnet_id" {
  type        = string
  description = "Resource ID of an existing subnet in westeurope"
}

variable "ssh_public_key" {
  type        = string
  description = "OpenSSH public key for the novacron user"
}

provider "azure" "cloud" {
  # subscription_id: from NOVACRON_AZURE_SUBSCRIPTION_ID.
  resource_group = "novacron-example" # must exist
  location       = "westeurope"
  subnet_id      = var.subnet_id
  ssh_public_key = var.ssh_public_key
}

template "ubuntu" {
  azure {
    image       = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest"
    custom_data = "#cloud-config\npackage_update: true\n" # cloud-init; sensitive
  }
}

fleet "web" {
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4  # the cheapest size that fits: Standard_B2s
  disk_gb   = 30 # the image's own size; smaller is refused by Azure
  tags      = { tier = "web" }
  rollout {
    batch_size = 1 # a resize restarts each VM: one at a time
  }
}

output "web_names" { value = fleet.web[*].name }
