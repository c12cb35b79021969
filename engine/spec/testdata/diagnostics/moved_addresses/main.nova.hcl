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
  from = "fleet.web" # ERROR
  to   = fleet.frontend
}

moved {
  from = provider.web # ERROR
  to   = fleet.frontend
}

moved {
  from = vm.old[0] # ERROR
  to   = vm.legacy
}

moved {
  from = fleet.web[-1] # ERROR
  to   = fleet.frontend[0]
}

moved {
  from = fleet.web[0].name # ERROR
  to   = fleet.frontend[1]
}
