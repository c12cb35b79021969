provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

vm "db" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}

vm "db" { # ERROR
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
