provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

module "m" {
  source     = "./m"
  providers  = {}   # ERROR
  version    = "1.0" # ERROR
  depends_on = []   # ERROR
}
