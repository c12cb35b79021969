provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  count     = 2
  name      = "web-${count.idx}" # ERROR
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
