provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "both" {
  source   = "./modules/webtier"
  count    = 2
  for_each = toset(["a"]) # ERROR
  env      = "x"
}

module "providers" {
  source    = "./modules/webtier"
  providers = {} # ERROR
  env       = "p"
}

module "version" {
  source  = "./modules/webtier"
  version = "1.0" # ERROR
  env     = "v"
}

module "depends" {
  source     = "./modules/webtier"
  depends_on = [] # ERROR
  env        = "d"
}

module "9bad" { # ERROR
  source = "./modules/webtier"
}

module "dup" {
  source = "./modules/webtier"
  env    = "d1"
}

module "dup" { # ERROR
  source = "./modules/webtier"
  env    = "d2"
}

module "negative" {
  source = "./modules/webtier"
  env    = "n"
  count  = -1 # ERROR
}
