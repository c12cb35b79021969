# The second declaration is the error.

fleet "web" { # ERROR
  template  = template.ubuntu
  memory_gb = 4
  cpu = 4
}
