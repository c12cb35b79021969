provider "sim" "lab" {}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

provider "libvirt" "rack1" { # ERROR
  uri = "qemu:///system"
}
