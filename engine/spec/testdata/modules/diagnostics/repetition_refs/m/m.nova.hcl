variable "env" {
  type = string
}

vm "db" {
  name      = "${var.env}-db"
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
