provider "sim" "lab" {
  latency = "fast" # ERROR
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}
