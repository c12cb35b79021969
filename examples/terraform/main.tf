# A runnable root module on NovaCron's embedded simulator: no hypervisor
# needed. See docs/index.md for running it with dev_overrides.

terraform {
  required_version = ">= 1.5"
  required_providers {
    novacron = {
      source = "novacron/novacron"
    }
  }
}

provider "novacron" {
  # The simulator keeps its cluster in .novacron/ in this folder.
  sim {
    name           = "lab"
    hosts          = 4
    host_cpu       = 32
    host_memory_gb = 128
  }
}

# A whole fleet as one resource: planned by NovaCron, applied in parallel,
# changes to existing VMs rolled out two at a time.
resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = var.web_count
  template       = { image = "ubuntu-22.04" }
  cpu            = var.web_cpu
  memory_gb      = 4
  tags           = { tier = "web" }

  placement {
    spread_by = "host"
  }
  rollout {
    batch_size      = 2
    max_unavailable = 1
  }
}

# A single VM.
resource "novacron_vm" "db" {
  backend   = "lab"
  name      = "db-01"
  template  = { image = "ubuntu-22.04" }
  cpu       = 4
  memory_gb = 16
  disk_gb   = 100
  tags      = { tier = "db" }
}

data "novacron_hosts" "lab" {
  backend    = "lab"
  depends_on = [novacron_fleet.web, novacron_vm.db]
}
