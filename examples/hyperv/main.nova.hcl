# A fleet on Hyper-V hosts, driven over WinRM (HTTPS, NTLM). The endpoint,
# account, password and CA come from the environment (NOVACRON_HYPERV_URL,
# _USERNAME, _PASSWORD, _CA_FILE), so this file holds no secret. The
# defaults below are those of NovaCron's Hyper-V test server
# (go run ./examples/hyperv/hypervsim); see README.md for real hosts.

variable "hosts" {
  type        = list(string)
  default     = ["HV1", "HV2"]
  description = "Hyper-V hosts the WinRM endpoint manages (the endpoint first)."
}

variable "switch" {
  type        = string
  default     = "LAN"
  description = "Virtual switch the VMs join; it must exist on every host."
}

variable "vm_path" {
  type        = string
  default     = "C:\\VMs"
  description = "Folder of the VMs on the hosts: shared storage (SMB share, CSV) for live migration."
}

variable "db_host" {
  type        = string
  default     = "HV2"
  description = "Host the database VM is pinned to, as the hosts name themselves (nova-plan inventory lists them); change it to move the VM live (Move-VM)."
}

variable "template_vhdx" {
  type        = string
  default     = "C:\\Templates\\tiny.vhdx"
  description = "Template VHDX, generalized (sysprep, cloud-init), as a path the hosts have."
}

provider "hyperv" "lab" {
  # url      = "https://hv1.example.net:5986/wsman"  # or NOVACRON_HYPERV_URL
  # username = "EXAMPLE\\novacron"                   # or NOVACRON_HYPERV_USERNAME
  # auth     = "ntlm"                                # the default
  hosts  = var.hosts
  switch = var.switch
  path   = var.vm_path
}

template "ubuntu-24.04" {
  hyperv {
    vhdx        = var.template_vhdx
    secure_boot = "MicrosoftUEFICertificateAuthority" # Linux guests; Hyper-V's default is for Windows
  }
}

fleet "web" {
  provider  = provider.hyperv.lab
  count     = 2
  template  = template.ubuntu-24.04
  cpu       = 2
  memory_gb = 4
  disk_gb   = 20 # a differencing disk of the template, grown to 20 GiB
  tags      = { tier = "web" } # kept in the VM's Notes
  placement {
    spread_by = "host"
  }
}

vm "db-01" {
  provider  = provider.hyperv.lab
  template  = template.ubuntu-24.04
  cpu       = 4
  memory_gb = 8
  disk_gb   = 40
  host      = var.db_host
}

output "web_ids" { value = fleet.web[*].id }
