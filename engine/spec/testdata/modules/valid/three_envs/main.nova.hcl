provider "sim" "lab" {
  hosts = 4
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

variable "per_env" {
  type    = number
  default = 2
}

module "web_prod" {
  source         = "./modules/webtier"
  env            = "prod"
  count_per_host = var.per_env
}

module "env" {
  for_each       = toset(["dev", "staging"])
  source         = "./modules/webtier"
  env            = each.key
  count_per_host = 1
}

module "batch" {
  count          = 2
  source         = "./modules/webtier"
  env            = "batch${count.index}"
  count_per_host = 0
}

output "prod_names" { value = module.web_prod.names }
output "dev_names" { value = module.env["dev"].names }
output "batch_envs" { value = module.batch[*].env }
