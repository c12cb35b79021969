provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "a" {
  source = "./modules/a"
  count  = 1000
}
