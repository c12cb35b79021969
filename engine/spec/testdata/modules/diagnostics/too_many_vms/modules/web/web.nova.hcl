variable "n" {
  type = number
}

fleet "web" {
  provider  = provider.sim.lab
  template  = template.ubuntu
  count     = var.n # ERROR
  cpu       = 1
  memory_gb = 1
}
