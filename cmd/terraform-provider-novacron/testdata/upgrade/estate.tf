# The estate of the provider's upgrade fixtures (scripts/upgrade-fixtures.sh):
# a fleet and a VM on the simulator, whose cluster lives in .novacron/.

terraform {
  required_providers {
    novacron = {
      source = "novacron/novacron"
    }
  }
}

provider "novacron" {
  sim {
    name           = "lab"
    hosts          = 3
    host_cpu       = 16
    host_memory_gb = 64
  }
}

resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = 3
  template       = { image = "ubuntu-22.04" }
  cpu            = 2
  memory_gb      = 4
  tags           = { tier = "web" }
}

resource "novacron_vm" "db" {
  backend   = "lab"
  name      = "db-01"
  template  = { image = "ubuntu-22.04" }
  cpu       = 4
  memory_gb = 8
  disk_gb   = 50
  tags      = { tier = "db" }
}
