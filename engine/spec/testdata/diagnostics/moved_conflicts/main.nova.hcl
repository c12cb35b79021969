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
  from = fleet.web
  to   = fleet.frontend
}

moved {
  from = fleet.old
  to   = fleet.frontend # ERROR
}

moved {
  from = fleet.web[2] # ERROR
  to   = vm.legacy
}

moved {
  from = fleet.web # ERROR
  to   = fleet.frontend # ERROR
}
