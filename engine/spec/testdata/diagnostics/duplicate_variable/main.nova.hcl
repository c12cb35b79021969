provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "n" {
  default = 1
}

variable "n" { # ERROR
  default = 2
}
