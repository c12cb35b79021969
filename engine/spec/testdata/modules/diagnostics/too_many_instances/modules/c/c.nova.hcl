vm "db" {
  provider  = provider.sim.lab
  template  = template.ubuntu
  name      = "db"
  cpu       = 1
  memory_gb = 1
}
