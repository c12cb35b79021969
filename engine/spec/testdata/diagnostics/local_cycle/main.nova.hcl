provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

locals {
  a = local.b # ERROR
  b = "${local.c}-x"
  c = upper(local.a)
  d = "fine"
}
