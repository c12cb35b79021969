provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "web" {
  source = "./modules/web"
  count  = 2
  n      = 60000
}
