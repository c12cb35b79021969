provider "sim" "lab" {
  parallelism = 0 # ERROR
  rate_limit  = 10
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}
