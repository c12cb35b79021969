provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "n" {
  type    = strin # ERROR
  default = 1
}
