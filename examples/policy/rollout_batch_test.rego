package novacron.rollout_batch_test

import data.novacron.rollout_batch

prod_fleet(n, rollout) := {"address": "fleet.web", "kind": "fleet", "count": n, "rollout": rollout, "instances": [{"tags": {"env": "prod"}}]}

replace_web := [{"address": "fleet.web[0]", "action": "replace"}]

test_big_batch_is_denied if {
	denials := rollout_batch.deny with input as {"changes": [], "fleets": [prod_fleet(20, {"batch_size": 5})]}
	some d in denials
	d.address == "fleet.web"
	contains(d.msg, "at most 2")
}

test_batch_within_ten_percent_passes if {
	count(rollout_batch.deny) == 0 with input as {"changes": replace_web, "fleets": [prod_fleet(20, {"batch_size": 2})]}
}

test_small_fleet_may_change_one_at_a_time if {
	count(rollout_batch.deny) == 0 with input as {"changes": replace_web, "fleets": [prod_fleet(4, {"batch_size": 1})]}
}

test_replace_without_rollout_is_denied if {
	count(rollout_batch.deny) == 1 with input as {"changes": replace_web, "fleets": [prod_fleet(20, null)]}
}

test_creates_without_rollout_pass if {
	count(rollout_batch.deny) == 0 with input as {"changes": [{"address": "fleet.web[0]", "action": "create"}], "fleets": [prod_fleet(20, null)]}
}
