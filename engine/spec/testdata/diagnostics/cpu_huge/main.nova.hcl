provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

vm "web" {
  template  = template.ubuntu
  memory_gb = 4
  cpu       = 1e20 # ERROR
}
