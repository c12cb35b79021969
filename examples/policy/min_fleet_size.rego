# A fleet in production runs at least 3 VMs, so that losing one host or
# one VM never takes the service down. A fleet's environment is the env
# tag of its VMs.
package novacron.min_fleet_size

min_prod_vms := 3

deny contains {"msg": msg, "address": fleet.address} if {
	some fleet in input.fleets
	fleet.kind == "fleet"
	some vm in fleet.instances
	vm.tags.env == "prod"
	fleet.count < min_prod_vms
	msg := sprintf("%s runs %d VMs in prod; a prod fleet needs at least %d", [fleet.address, fleet.count, min_prod_vms])
}
