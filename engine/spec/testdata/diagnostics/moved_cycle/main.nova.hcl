provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "frontend" {
  count     = 3
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

vm "legacy" {
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

moved {
  from = fleet.a # ERROR
  to   = fleet.b
}

moved {
  from = fleet.b # ERROR
  to   = fleet.a
}
