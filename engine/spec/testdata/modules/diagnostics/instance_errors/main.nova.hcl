provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "m" {
  source   = "./modules/m"
  for_each = { a = 1, b = 0, c = 800 }
  cpu      = each.value
  env      = each.key
}
