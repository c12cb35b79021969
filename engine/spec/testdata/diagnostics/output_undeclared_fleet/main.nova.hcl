provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  count     = 2
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

output "names" {
  value = fleet.wbe[*].name # ERROR
}
