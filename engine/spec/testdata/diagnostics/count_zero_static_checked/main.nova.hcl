provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "web_count" {
  default = 0
}

fleet "web" {
  count     = var.web_count
  template  = template.ubuntu
  memory_gb = 4
  cpu       = 0 # ERROR
  name      = "web-${count.index}"
}

fleet "db" {
  for_each  = {}
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 4
  power     = "paused" # ERROR
}
