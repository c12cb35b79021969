# Quickstart: a small fleet on the embedded simulator. No hypervisor needed:
# `make demo` plans it, applies it, and plans again to show no changes.

variable "web_count" {
  type        = number
  default     = 4
  description = "How many web VMs to run."
  validation {
    condition     = var.web_count >= 1 && var.web_count <= 500
    error_message = "web_count must be between 1 and 500."
  }
}

provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 32
  host_memory_gb = 128
  latency        = "20ms"
}

template "ubuntu-22.04" {
  sim { image = "ubuntu-22.04" }
}

locals {
  common_tags = { env = "demo", owner = "platform" }
}

vm "db-01" {
  provider  = provider.sim.lab
  template  = template.ubuntu-22.04
  cpu       = 8
  memory_gb = 32
  disk_gb   = 200
  host      = "hv-01"
  tags      = merge(local.common_tags, { role = "db" })
}

fleet "web" {
  provider  = provider.sim.lab
  count     = var.web_count
  name      = "web-${count.index}"
  template  = template.ubuntu-22.04
  cpu       = 2
  memory_gb = 4
  disk_gb   = 40
  tags      = merge(local.common_tags, { role = "web" })

  placement {
    spread_by = "host"
  }
  rollout {
    batch_size      = 2
    max_unavailable = 1
  }
  depends_on = [vm.db-01]
}

output "web_names" {
  value = fleet.web[*].name
}

output "db_host" {
  value = vm.db-01.host
}
