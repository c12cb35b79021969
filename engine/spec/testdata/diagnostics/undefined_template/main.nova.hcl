provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  cpu       = 2
  memory_gb = 4
  template = template.nope # ERROR
}
