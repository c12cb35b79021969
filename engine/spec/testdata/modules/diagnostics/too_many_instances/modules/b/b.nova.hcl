module "c" {
  source = "../c"
  count  = 1000
}
