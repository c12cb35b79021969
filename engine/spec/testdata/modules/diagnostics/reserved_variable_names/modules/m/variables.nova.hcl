variable "source" { # ERROR
  default = 1
}

variable "count" { # ERROR
  default = 1
}

variable "for_each" { # ERROR
  default = 1
}

variable "providers" { # ERROR
  default = 1
}

variable "version" { # ERROR
  default = 1
}

variable "depends_on" { # ERROR
  default = 1
}

variable "fine" {
  default = 1
}
