variable "env" {
  type = string
}

fleet "web" {
  count     = 2
  name      = "${var.env}-web-${count.index}"
  template  = template.ubuntu
  provider  = provider.sim.nope # ERROR
  cpu       = 0 # ERROR
  memory_gb = 4
}
