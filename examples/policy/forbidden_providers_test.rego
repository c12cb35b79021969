package novacron.forbidden_providers_test

import data.novacron.forbidden_providers

fleet(ptype, env) := {"address": "fleet.web", "provider": concat(".", [ptype, "a"]), "provider_type": ptype, "instances": [{"tags": {"env": env}}]}

test_prod_on_sim_is_denied if {
	denials := forbidden_providers.deny with input as {"fleets": [fleet("sim", "prod")]}
	some d in denials
	d.address == "fleet.web"
}

test_dev_on_ec2_is_denied if {
	count(forbidden_providers.deny) == 1 with input as {"fleets": [fleet("ec2", "dev")]}
}

test_prod_on_libvirt_passes if {
	count(forbidden_providers.deny) == 0 with input as {"fleets": [fleet("libvirt", "prod")]}
}

test_untagged_fleet_passes if {
	count(forbidden_providers.deny) == 0 with input as {"fleets": [{"address": "fleet.web", "provider_type": "sim", "instances": [{"tags": {}}]}]}
}
