provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "web" {
  source = "./modules/webtier"
  env    = "prod"
}



output "x" { value = module.wbe.names } # ERROR
output "y" { value = module.web.nmaes } # ERROR
