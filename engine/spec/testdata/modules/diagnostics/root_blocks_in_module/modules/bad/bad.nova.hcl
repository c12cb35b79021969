novacron { # ERROR
  backend = "local"
}

provider "sim" "other" {} # ERROR

template "debian" { # ERROR
  sim { image = "debian-12" }
}

import { # ERROR
  to = fleet.web[0]
  id = "x"
}

drift { # ERROR
  ignore = ["tags"]
}

fleet "web" {
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
