# A fleet on a XenServer / XCP-ng pool. Where the pool master is and who
# logs in come from the environment (NOVACRON_XEN_URL, NOVACRON_XEN_USERNAME,
# NOVACRON_XEN_PASSWORD, NOVACRON_XEN_CA_FILE). The defaults of the
# variables are the names of NovaCron's XenAPI test server
# (go run ./examples/xen/xensim); see README.md for a real pool.

variable "pool" {
  type        = string
  default     = "lab-pool"
  description = "Name-label of the pool the url must be the master of."
}

variable "sr" {
  type        = string
  default     = "shared-nfs"
  description = "Storage repository (shared, so VMs migrate) the disks are copied to."
}

variable "network" {
  type        = string
  default     = "pool-network"
  description = "Network the VMs' interface joins."
}

variable "template" {
  type        = string
  default     = "debian-12"
  description = "XenAPI template with a disk to clone."
}

variable "db_host" {
  type        = string
  default     = "xen-01"
  description = "Host the database VM is pinned to; change it to migrate the VM live."
}

provider "xen" "lab" {
  pool          = var.pool
  sr            = var.sr
  network       = var.network
  max_cpu       = 8 # vCPUs grow live up to 8
  max_memory_gb = 16
}

template "debian-12" {
  xen { template = var.template }
}

fleet "web" {
  provider  = provider.xen.lab
  count     = 3
  template  = template.debian-12
  cpu       = 2
  memory_gb = 2
  disk_gb   = 20
  tags      = { tier = "web" }
  placement {
    spread_by = "host"
  }
  rollout {
    batch_size = 1
  }
}

vm "db-01" {
  provider  = provider.xen.lab
  template  = template.debian-12
  cpu       = 4
  memory_gb = 8
  disk_gb   = 40
  host      = var.db_host
}

output "web_ids" { value = fleet.web[*].id }
