provider "sim" "onprem" {}
provider "sim" "cloud" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  provider  = provider.sim.onprem
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
  count     = 2
  placement {
    burst_to = provider.sim.cloud
  }
}

vm "other" {
  provider  = provider.sim.cloud
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  name      = "web-1" # ERROR
}
