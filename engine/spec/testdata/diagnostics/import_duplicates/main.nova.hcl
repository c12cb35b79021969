provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  count     = 3
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

vm "db-01" {
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

import {
  to = fleet.web[0]
  id = "vm-000001"
}

import {
  to = fleet.web[0] # ERROR
  id = "vm-000002"
}

import {
  to = vm.db-01
  id = "vm-000001" # ERROR
}

import {
  to = fleet.web["a"] # ERROR
  id = "vm-000003"
}
