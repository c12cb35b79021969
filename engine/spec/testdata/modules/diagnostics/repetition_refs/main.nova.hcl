provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "counted" {
  source = "./m"
  count  = 1
  env    = each.key # ERROR
}

module "keyed" {
  source   = "./m"
  for_each = toset(["a"])
  env      = "k${count.index}" # ERROR
}

module "single" {
  source = "./m"
  env    = "s${count.index}" # ERROR
}
