provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "_web" { # ERROR
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
