provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "m" {
  source   = "./m"
  for_each = { a = "1", b = "x", c = "y" }
  cpu      = 1 / tonumber(each.value) # ERROR
}
