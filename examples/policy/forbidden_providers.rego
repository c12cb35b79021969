# Some providers are not for some environments: production never runs on
# the simulator, and development stays off the paid clouds. A fleet's
# environment is the env tag of its VMs.
package novacron.forbidden_providers

forbidden := {
	"prod": {"sim"},
	"dev": {"ec2", "azure"},
}

deny contains {"msg": msg, "address": fleet.address} if {
	some fleet in input.fleets
	some env in {vm.tags.env | some vm in fleet.instances}
	fleet.provider_type in forbidden[env]
	msg := sprintf("%s runs %s VMs on provider.%s; %s providers are not allowed in %s", [fleet.address, env, fleet.provider, fleet.provider_type, env])
}
