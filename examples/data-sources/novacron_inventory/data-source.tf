# Running web VMs of backend "lab", read in one bulk call.
data "novacron_inventory" "web" {
  backend    = "lab"
  name_regex = "^web-"
  power      = "running"
  tags       = { tier = "web" }
}

# VMs that NovaCron does not manage (no ownership marker): import candidates.
data "novacron_inventory" "unmanaged" {
  backend = "lab"
  managed = false
}

output "web_ips" {
  value = flatten([for vm in data.novacron_inventory.web.vms : vm.ip_addresses])
}
