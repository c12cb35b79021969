# Two tiny guests on the local libvirtd that scripts/libvirt-up.sh installs
# and starts (run `make test` once, or the script itself, as root):
#
#   nova-plan -chdir=examples/libvirt plan
#   nova-plan -chdir=examples/libvirt apply
#   tail -f /var/log/libvirt/qemu/tiny-0.serial.log   # NOVACRON-GUEST-UP …
#   nova-plan -chdir=examples/libvirt destroy
#
# The guests boot the Debian cloud kernel with a busybox initramfs (built by
# scripts/build-test-guest.sh) under QEMU emulation (domain_type = "qemu"),
# so they run where KVM does not. See docs/drivers/libvirt.md for real hosts.

variable "guests" {
  type    = number
  default = 2
}

provider "libvirt" "local" {
  uri            = "qemu:///system"
  domain_type    = "qemu"                  # "kvm" on hosts with usable KVM
  pool           = "default"               # /var/lib/libvirt/images
  serial_log_dir = "/var/log/libvirt/qemu" # NAME.serial.log per VM
}

template "tiny" {
  libvirt {
    kernel    = "/var/lib/libvirt/images/novacron-test/vmlinuz"
    initrd    = "/var/lib/libvirt/images/novacron-test/initrd.img"
    cmdline   = "console=ttyS0 quiet"
    user_data = "#cloud-config\n" # given on a NoCloud seed; the guest lists its files
  }
  # A real image is a base volume in the pool instead; each VM's disk is a
  # copy-on-write overlay on it:
  #   libvirt { volume = "debian-12-genericcloud-amd64.qcow2" }
}

fleet "tiny" {
  count     = var.guests
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.125 # 128 MiB; grows live up to twice that (max_memory_gb)
  disk_gb   = 1
  tags      = { example = "libvirt" }
}

output "names" {
  value = fleet.tiny[*].name
}
