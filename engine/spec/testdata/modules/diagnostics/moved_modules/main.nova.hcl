provider "sim" "lab" {}

template "t" {
  sim { image = "base" }
}

module "prod" {
  source = "./modules/web"
  env    = "prod"
}

module "stage" {
  source = "./modules/web"
  env    = "stage"
}

moved {
  from = module.a
  to   = fleet.web # ERROR
}

moved {
  from = module.b
  to   = module.prod
}

moved {
  from = module.c
  to   = module.prod # ERROR
}

moved {
  from = module.b.fleet.app[0] # ERROR
  to   = module.stage.fleet.app[0]
}

moved {
  from = module.prod # ERROR
  to   = module.nowhere # ERROR
}

moved {
  from = module.x # ERROR
  to   = module.y
}

moved {
  from = module.y # ERROR
  to   = module.x
}

removed {
  from = module.stage # ERROR
}
