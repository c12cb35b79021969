provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

template "debian" {
  sim { image = "debian-12" }
  sim { image = "debian-13" } # ERROR
}
