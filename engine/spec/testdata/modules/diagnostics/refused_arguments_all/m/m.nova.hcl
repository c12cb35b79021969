vm "db" {
  template  = template.ubuntu
  cpu       = 0 # ERROR
  memory_gb = 1
}
