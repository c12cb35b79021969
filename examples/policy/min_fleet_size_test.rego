package novacron.min_fleet_size_test

import data.novacron.min_fleet_size

fleet(n, env) := {"address": "fleet.web", "kind": "fleet", "count": n, "instances": [{"tags": {"env": env}} | some _ in numbers.range(1, n)]}

test_prod_fleet_of_two_is_denied if {
	denials := min_fleet_size.deny with input as {"fleets": [fleet(2, "prod")]}
	some d in denials
	d.address == "fleet.web"
}

test_prod_fleet_of_three_passes if {
	count(min_fleet_size.deny) == 0 with input as {"fleets": [fleet(3, "prod")]}
}

test_small_dev_fleet_passes if {
	count(min_fleet_size.deny) == 0 with input as {"fleets": [fleet(1, "dev")]}
}
