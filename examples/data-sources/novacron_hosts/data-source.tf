data "novacron_hosts" "lab" {
  backend = "lab"
}

output "free_cpu" {
  value = { for h in data.novacron_hosts.lab.hosts : h.name => h.free_cpu }
}
