provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 4
  rollout {
    batch_size = 1
  }
  rollout { # ERROR
    batch_size = 2
  }
}
