import {
  to = novacron_fleet.web
  id = "lab/web@terraform:novacron_fleet:web:3f9c0a51d2e84b7c9e1f6a2b5d7c8e90"
}
