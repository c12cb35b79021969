provider "sim" "lab" {
  region = "eu" # ERROR
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}
