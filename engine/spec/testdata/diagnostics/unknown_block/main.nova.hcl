provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

network "lan" { # ERROR
  cidr = "10.0.0.0/8"
}
