provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "db" {
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 4
  colour    = "red" # ERROR
}

fleet "web" {
  template   = template.ubuntu
  cpu        = 1
  memory_gb  = 4
  depends_on = [fleet.db]
}
