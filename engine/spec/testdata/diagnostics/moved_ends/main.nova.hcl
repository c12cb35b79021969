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

fleet "api" {
  count     = 2
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
  from = fleet.frontend # ERROR
  to   = fleet.edge # ERROR
}

moved {
  from = fleet.web[7]
  to   = fleet.frontend[7] # ERROR
}

moved {
  from = vm.legacy
  to   = vm.legacy # ERROR
}

moved {
  from = vm.gone
  to   = fleet.api # ERROR
}

# A fleet written without an index beside one VM names the VM without a
# key: fleet.old's one VM becomes fleet.frontend[1].
moved {
  from = fleet.old
  to   = fleet.frontend[1]
}
