provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "web_count" {
  default = 2
}

fleet "web" {
  count     = var.web_cuont # ERROR
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
