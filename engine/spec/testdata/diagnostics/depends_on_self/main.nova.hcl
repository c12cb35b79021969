provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

vm "db" {
  template   = template.ubuntu
  cpu        = 1
  memory_gb  = 4
  depends_on = [vm.db] # ERROR
}
