resource "novacron_vm" "db" {
  backend   = "lab"
  name      = "db-01"
  template  = { image = "ubuntu-22.04" } # the backend's template settings
  cpu       = 4
  memory_gb = 16
  disk_gb   = 100       # grows in place; shrinking replaces the VM
  power     = "running" # or "stopped"
  host      = "hv-02"   # optional pin; changing it migrates the VM
  tags      = { tier = "db" }

  timeouts {
    create = "10m"
    update = "30m"
  }
}
