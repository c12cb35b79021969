provider "sim" "lab" {
  latency = "-5s" # ERROR
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}
