# No VM larger than 64 vCPUs or 512 GB of memory; a warning past 256 GB,
# which fits on few hosts.
package novacron.max_vm_size

max_cpu := 64

max_memory_gb := 512

warn_memory_gb := 256

deny contains {"msg": msg, "address": c.address} if {
	some c in input.changes
	c.after.cpu > max_cpu
	msg := sprintf("%s has %d vCPUs; the most a VM may have is %d", [c.address, c.after.cpu, max_cpu])
}

deny contains {"msg": msg, "address": c.address} if {
	some c in input.changes
	c.after.memory_gb > max_memory_gb
	msg := sprintf("%s has %v GB of memory; the most a VM may have is %d GB", [c.address, c.after.memory_gb, max_memory_gb])
}

warn contains {"msg": msg, "address": c.address} if {
	some c in input.changes
	c.after.memory_gb > warn_memory_gb
	c.after.memory_gb <= max_memory_gb
	msg := sprintf("%s has %v GB of memory; few hosts fit a VM over %d GB", [c.address, c.after.memory_gb, warn_memory_gb])
}
