provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  template  = template.ubuntu
  memory_gb = 4
  cpu = "x" # ERROR
}
