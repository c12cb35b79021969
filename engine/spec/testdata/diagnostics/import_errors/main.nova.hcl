provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "token" {
  type      = string
  default   = "vm-000009"
  sensitive = true
}

fleet "web" {
  count     = 2
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
  to = "fleet.web[0]" # ERROR
  id = "vm-000001"
}

import {
  to = fleet.app[0] # ERROR
  id = "vm-000002"
}

import {
  to = fleet.web[2] # ERROR
  id = "vm-000003"
}

import {
  to = fleet.web # ERROR
  id = "vm-000004"
}

import {
  to = vm.db-01[0] # ERROR
  id = "vm-000005"
}

import {
  to = fleet.web[1]
  id = "" # ERROR
}

import {
  to = vm.db-01
  id = var.token # ERROR
}

import { # ERROR
  to = fleet.web[1]
}
