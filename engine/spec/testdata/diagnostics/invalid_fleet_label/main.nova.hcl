provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "9web" { # ERROR
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
