variable "cpu" {
  type = number
}

variable "env" {
  type = string
}

vm "db" {
  template  = template.ubuntu
  name      = "${var.env}-db"
  cpu       = var.cpu # ERROR
  memory_gb = 1
}
