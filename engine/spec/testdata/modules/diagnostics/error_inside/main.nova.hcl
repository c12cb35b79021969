provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "web" {
  count  = 3
  source = "./modules/webtier"
  env    = "e${count.index}"
}
