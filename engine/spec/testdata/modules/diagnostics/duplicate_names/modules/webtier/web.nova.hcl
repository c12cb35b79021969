fleet "web" { # ERROR
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
