# The web tier's inputs: the module block's arguments.

variable "env" {
  type        = string
  description = "The environment: it prefixes every VM name and tags each VM."
}

variable "vm_count" {
  type    = number
  default = 2
  validation {
    condition     = var.vm_count >= 0 && var.vm_count <= 1000
    error_message = "vm_count must be between 0 and 1000."
  }
}

variable "cpu" {
  type    = number
  default = 2
}

variable "memory_gb" {
  type    = number
  default = 4
}
