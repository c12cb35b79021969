provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "a" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  depends_on = [fleet.b] # ERROR
}

fleet "b" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  depends_on = [fleet.c]
}

fleet "c" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  depends_on = [fleet.a]
}

fleet "d" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  depends_on = [fleet.a]
}
