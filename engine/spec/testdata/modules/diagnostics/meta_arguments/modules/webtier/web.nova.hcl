variable "env" {
  type = string
}

variable "size" {
  type    = number
  default = 2
}

fleet "web" {
  count     = var.size
  name      = "${var.env}-web-${count.index}"
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}

output "names" { value = fleet.web[*].name }
