provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  count     = 1
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

module "prod" {
  source = "./modules/webtier"
}

module "dev" {
  source = "./modules/webtier"
}
