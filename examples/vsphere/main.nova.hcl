# A web fleet and a pinned database VM on vSphere. It runs as written
# against NovaCron's vCenter SIMULATOR (govmomi's vcsim, not a real vCenter),
# which prints the NOVACRON_VSPHERE_* variables this provider block reads:
#
#   eval "$(go run ./examples/vsphere/vcsim -detach)"
#   nova-plan -chdir=examples/vsphere apply
#   nova-plan -chdir=examples/vsphere inventory
#   nova-plan -chdir=examples/vsphere destroy
#   kill $NOVACRON_VCSIM_PID
#
# For a real vCenter, export the same variables (or set url, user, password
# and ca_file here) and name your own datacenter, cluster, datastore,
# network and template. See docs/drivers/vsphere.md.

provider "vsphere" "lab" {
  # url, user, password and ca_file: from NOVACRON_VSPHERE_URL, _USER,
  # _PASSWORD and _CA_FILE.
  datacenter = "DC0"
  cluster    = "DC0_C0"    # its hosts: DC0_C0_H0, DC0_C0_H1, DC0_C0_H2
  datastore  = "LocalDS_0"
  network    = "DC0_DVPG0" # a distributed port group
}

template "ubuntu" {
  vsphere {
    vm        = "novacron-template" # a VM template, by name or inventory path
    user_data = "#cloud-config\npackage_update: true\n" # guestinfo.userdata; sensitive
  }
}

fleet "web" {
  count     = 3
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 1
  disk_gb   = 20 # the template's 10 GB disk, grown
  tags      = { tier = "web" }
  placement {
    spread_by = "host"
  }
}

vm "db-01" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 2
  disk_gb   = 40
  host      = "DC0_C0_H1" # change it to plan a vMotion
}

output "web_names" {
  value = fleet.web[*].name
}
