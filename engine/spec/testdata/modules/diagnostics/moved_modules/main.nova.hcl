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
  to   = fleet.web # ERROR: a module to a fleet
}

moved {
  from = module.b
  to   = module.prod
}

moved {
  from = module.c
  to   = module.prod # ERROR: two modules to one
}

moved {
  from = module.b.fleet.app[0] # ERROR: inside a module moved whole
  to   = module.stage.fleet.app[0]
}

moved {
  from = module.prod
  to   = module.nowhere # ERROR: prod is declared, and nowhere is not
}

moved {
  from = module.x
  to   = module.y
}

moved {
  from = module.y
  to   = module.x # ERROR: a cycle
}

removed {
  from = module.stage # ERROR: still declared
}
