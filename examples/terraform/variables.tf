variable "web_count" {
  description = "Number of web VMs."
  type        = number
  default     = 3
}

variable "web_cpu" {
  description = "vCPUs of each web VM."
  type        = number
  default     = 2
}
