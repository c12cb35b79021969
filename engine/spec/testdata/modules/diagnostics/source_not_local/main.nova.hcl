provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "git" {
  source = "git::https://example.com/webtier.git" # ERROR
}

module "registry" {
  source = "novacron/webtier/sim" # ERROR
}

module "abs" {
  source = "/srv/modules/webtier" # ERROR
}

variable "where" {
  default = "./modules/webtier"
}

module "dynamic" {
  source = var.where # ERROR
}

module "nosource" { # ERROR
}
