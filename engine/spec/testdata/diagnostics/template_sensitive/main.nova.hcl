variable "image" {
  type      = string
  default   = "secret-image"
  sensitive = true
}

provider "sim" "lab" {}

template "ubuntu" {
  sim { image = var.image } # ERROR
}
