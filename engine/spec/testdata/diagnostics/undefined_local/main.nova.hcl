provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

locals {
  env = "prod"
}

fleet "web" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  tags = { env = local.nope } # ERROR
}
