provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "where" {
  default = "./modules/a"
}

module "null" {
  source = null # ERROR
}

module "number" {
  source = 1 # ERROR
}

module "list" {
  source = ["./modules/a"] # ERROR
}

module "variable" {
  source = var.where # ERROR
}

module "a" {
  source = "./modules/a"
}
