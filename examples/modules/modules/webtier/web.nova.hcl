# One web tier. Its VM names start with the environment, so that the
# three calls of the module do not ask the one provider for the same name.

fleet "web" {
  provider  = provider.sim.lab
  count     = var.vm_count
  name      = "${var.env}-web-${count.index}"
  template  = template.ubuntu-22.04
  cpu       = var.cpu
  memory_gb = var.memory_gb
  tags      = { env = var.env, tier = "web" }

  placement {
    spread_by = "host"
  }
}

output "names" {
  value = fleet.web[*].name
}
