fleet "w" {
  template  = template.u
  cpu       = 1
  memory_gb = 1
}
