import {
  to = novacron_fleet.web
  id = "lab/web"
}
