variable "cpu" {
  type = number
}
