provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "web" {
  source = "./modules/nope" # ERROR
  env    = "prod"
}
