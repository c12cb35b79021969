# Modules: one web tier, three environments. The tier is written once, in
# modules/webtier; the root calls it for prod, staging and dev with
# for_each, on the embedded simulator. `nova-plan plan` plans
# 3 × web_per_env VMs, addressed module.web["prod"].fleet.web[0] and so on.

variable "web_per_env" {
  type        = number
  default     = 3
  description = "How many web VMs each environment runs."
}

# Providers and templates are declared here, in the root module; the
# module's fleets use them by name.
provider "sim" "lab" {
  hosts          = 6
  host_cpu       = 32
  host_memory_gb = 128
}

template "ubuntu-22.04" {
  sim { image = "ubuntu-22.04" }
}

locals {
  environments = {
    prod    = { cpu = 4, memory_gb = 8 }
    staging = { cpu = 2, memory_gb = 4 }
    dev     = { cpu = 1, memory_gb = 2 }
  }
}

module "web" {
  for_each  = local.environments
  source    = "./modules/webtier"
  env       = each.key
  vm_count  = var.web_per_env
  cpu       = each.value.cpu
  memory_gb = each.value.memory_gb
}

output "prod_names" {
  value = module.web["prod"].names
}

output "all_names" {
  value = { for env, m in module.web : env => m.names }
}
