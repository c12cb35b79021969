output "web_vms" {
  description = "The web VMs: name, host and addresses."
  value       = { for k, vm in novacron_fleet.web.vms : vm.name => { host = vm.host, ip = vm.ip_address } }
}

output "db_ip" {
  value = novacron_vm.db.ip_addresses
}

output "free_cpu" {
  description = "Free vCPUs per host after the apply."
  value       = { for h in data.novacron_hosts.lab.hosts : h.name => h.free_cpu }
}
