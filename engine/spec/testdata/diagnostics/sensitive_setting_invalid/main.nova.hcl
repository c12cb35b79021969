variable "lat" {
  type      = string
  default   = "HUNTER2LAT"
  sensitive = true
}

variable "hosts" {
  type      = number
  default   = 7777777
  sensitive = true
}

provider "sim" "lab" {
  latency = var.lat # ERROR
  hosts   = var.hosts # ERROR
}
