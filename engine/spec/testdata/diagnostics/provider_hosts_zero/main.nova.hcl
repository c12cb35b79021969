provider "sim" "lab" {
  hosts = 0 # ERROR
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}
