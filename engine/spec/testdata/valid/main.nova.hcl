provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 32
  host_memory_gb = 128
  latency        = "5ms"
  seed           = strlen(var.api_token) > 0 ? 7 : 0
}

template "ubuntu-22.04" {
  sim { image = "ubuntu-22.04" }
}

locals {
  common = { env = "test", owner = "platform" }
  prefix = lower("WEB")
}

fleet "web" {
  count     = var.web_count
  name      = "${local.prefix}-${count.index}"
  template  = template.ubuntu-22.04
  cpu       = 4
  memory_gb = 0.5
  disk_gb   = 100
  power     = "running"
  tags      = merge(local.common, { tier = "web" })

  placement {
    spread_by = "host"
  }
  rollout {
    batch_size      = 2
    max_unavailable = 1
  }
  lifecycle {
    prevent_destroy       = false
    create_before_destroy = true
    ignore_changes        = [tags]
  }
  depends_on = [vm.db-01]
}

fleet "edge" {
  for_each  = var.regions
  template  = "ubuntu-22.04"
  cpu       = 1
  memory_gb = 1
  host      = each.value
  tags      = { region = each.key }
}

vm "db-01" {
  template  = template.ubuntu-22.04
  cpu       = 8
  memory_gb = 64
  host      = "hv-02"
  power     = "stopped"
}

output "web_names" {
  value = fleet.web[*].name
}

output "token" {
  value     = var.api_token
  sensitive = true
}
