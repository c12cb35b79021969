# Six web VMs, web-0 … web-5, spread across hosts. A change to existing VMs
# (size, template, power, …) rolls out two VMs at a time.
resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = 6
  name_pattern   = "{fleet}-{index}"
  template       = { image = "ubuntu-22.04" }
  cpu            = 2
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

# Keyed VMs, each of which may override the fleet's attributes.
resource "novacron_fleet" "db" {
  backend      = "lab"
  name         = "db"
  name_pattern = "{fleet}-{key}"
  template     = { image = "ubuntu-22.04" }
  cpu          = 4
  memory_gb    = 16
  instances = {
    primary = { host = "hv-01", cpu = 8 }
    replica = { host = "hv-02" }
  }
}

output "web_ips" {
  value = [for vm in novacron_fleet.web.vms : vm.ip_address]
}
