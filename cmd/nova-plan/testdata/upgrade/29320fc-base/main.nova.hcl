# The estate of the upgrade fixtures (scripts/upgrade-fixtures.sh): a VM and a
# fleet on the simulator. web_count and sim_latency let the script plan a
# change and slow an apply down enough to kill it midway.

variable "web_count" {
  type    = number
  default = 3
}

variable "sim_latency" {
  type    = string
  default = "0s"
}

provider "sim" "lab" {
  hosts          = 3
  host_cpu       = 16
  host_memory_gb = 64
  latency        = var.sim_latency
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

vm "db-01" {
  provider  = provider.sim.lab
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
  disk_gb   = 50
  host      = "hv-01"
  tags      = { env = "fixture", role = "db" }
}

fleet "web" {
  provider  = provider.sim.lab
  count     = var.web_count
  name      = "web-${count.index}"
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  disk_gb   = 20
  tags      = { env = "fixture", role = "web" }

  placement {
    spread_by = "host"
  }
  depends_on = [vm.db-01]
}
