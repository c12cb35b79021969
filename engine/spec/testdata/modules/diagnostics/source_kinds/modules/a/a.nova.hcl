module "nested" {
  source = "./nope" # ERROR
}
