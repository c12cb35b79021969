provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "a" {
  template  = template.ubuntu
  memory_gb = 4
  cpu = 0 # ERROR
}

fleet "b" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  count = 2
  power = "paused" # ERROR
}

vm "c" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 0 # ERROR
}
