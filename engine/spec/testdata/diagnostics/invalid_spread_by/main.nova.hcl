provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  placement {
    spread_by = "rack zone" # ERROR
  }
}
