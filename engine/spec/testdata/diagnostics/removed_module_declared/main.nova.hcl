provider "sim" "lab" {
  hosts = 2
}

template "u" {
  sim { image = "ubuntu-22.04" }
}

module "m" {
  source = "./t"
}

removed {
  from = module.m # ERROR
}

# Still declared too (at the fleet, in t/), and no "Overlapping removed
# blocks" after the errors that say so.
removed {
  from = module.m.fleet.w # ERROR
}
