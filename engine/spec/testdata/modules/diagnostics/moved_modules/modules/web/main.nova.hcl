variable "env" {
  type = string
}

fleet "app" {
  count     = 2
  name      = "${var.env}-${count.index}"
  template  = template.t
  cpu       = 1
  memory_gb = 1
}

moved {
  from = fleet.old # ERROR
  to   = fleet.gone # ERROR
}
