variable "env" {
  type = string
}

variable "count_per_host" {
  type    = number
  default = 1
}

locals {
  prefix = "${var.env}-web"
}

fleet "web" {
  count     = var.count_per_host
  name      = "${local.prefix}-${count.index}"
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}

vm "db" {
  provider   = provider.sim.lab
  name       = "${var.env}-db"
  template   = template.ubuntu
  cpu        = 4
  memory_gb  = 8
  depends_on = []
}

output "names" { value = fleet.web[*].name }
output "env" { value = var.env }
