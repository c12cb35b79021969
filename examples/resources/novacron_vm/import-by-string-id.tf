import {
  to = novacron_vm.db
  id = "lab/db-01"
}
