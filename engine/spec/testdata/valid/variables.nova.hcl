variable "web_count" {
  type    = number
  default = 3
  validation {
    condition     = var.web_count <= 500
    error_message = "At most 500 web VMs."
  }
}

variable "regions" {
  type    = map(string)
  default = { eu = "hv-01", us = "hv-02" }
}

variable "api_token" {
  type      = string
  default   = "t0ken"
  sensitive = true
}
