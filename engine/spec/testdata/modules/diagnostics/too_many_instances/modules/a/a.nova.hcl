module "b" {
  source = "../b"
  count  = 1000 # ERROR
}
