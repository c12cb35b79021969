provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  depends_on = [fleet[0], "fleet.db", vm.db.name] # ERROR
}

vm "db" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
