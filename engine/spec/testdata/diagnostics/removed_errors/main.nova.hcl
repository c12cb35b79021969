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

removed {
  from = fleet.frontend # ERROR
}

removed {
  from = fleet.old
  lifecycle {
    destroy = false
  }
}

removed {
  from = fleet.old[1] # ERROR
}

moved {
  from = fleet.web
  to   = fleet.frontend
}

removed {
  from = fleet.web
  lifecycle {
    destroy = "maybe" # ERROR
  }
}
