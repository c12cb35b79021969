provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

locals {
  env = "prod"
}

locals {
  env = "dev" # ERROR
}
