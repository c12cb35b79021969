# A VM over 64 GB of memory carries a cost-center tag, so that its cost
# lands on someone's budget. Every VM the plan creates or changes is
# checked, with the values it will have.
package novacron.required_tags

big_vm_gb := 64

deny contains {"msg": msg, "address": c.address} if {
	some c in input.changes
	c.after != null
	c.after.memory_gb > big_vm_gb
	not c.after.tags["cost-center"]
	msg := sprintf("%s has %v GB of memory and no cost-center tag; VMs over %d GB need one", [c.address, c.after.memory_gb, big_vm_gb])
}

warn contains {"msg": msg, "address": c.address} if {
	some c in input.changes
	c.after != null
	not c.after.tags.owner
	msg := sprintf("%s has no owner tag", [c.address])
}
