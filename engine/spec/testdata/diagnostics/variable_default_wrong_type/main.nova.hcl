provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "n" {
  type    = number
  default = "three" # ERROR
}
