module "a" {
  source = "../a" # ERROR
}
