# A production rollout replaces or updates at most 10 % of a fleet at once
# (at least one VM): a prod fleet whose VMs change needs a rollout block,
# and its batch_size must stay within that share.
package novacron.rollout_batch

max_share := 0.1

changing := {"update", "replace", "migrate", "stop"}

prod(fleet) if {
	some vm in fleet.instances
	vm.tags.env == "prod"
}

# limit is the largest batch a fleet of this size may change at once.
limit(fleet) := max([1, floor(fleet.count * max_share)])

# changed is true when the plan changes an existing VM of the fleet.
changed(fleet) if {
	some c in input.changes
	c.action in changing
	startswith(c.address, concat("", [fleet.address, "["]))
}

deny contains {"msg": msg, "address": fleet.address} if {
	some fleet in input.fleets
	prod(fleet)
	changed(fleet)
	fleet.rollout == null
	msg := sprintf("%s changes existing prod VMs without a rollout block; add rollout { batch_size = %d }", [fleet.address, limit(fleet)])
}

deny contains {"msg": msg, "address": fleet.address} if {
	some fleet in input.fleets
	prod(fleet)
	fleet.rollout.batch_size > limit(fleet)
	msg := sprintf("%s changes %d of its %d prod VMs at once; at most %d (10 %%)", [fleet.address, fleet.rollout.batch_size, fleet.count, limit(fleet)])
}
