package novacron.required_tags_test

import data.novacron.required_tags

change(gb, tags) := {"address": "vm.db", "action": "create", "after": {"memory_gb": gb, "tags": tags}}

test_big_vm_without_cost_center_is_denied if {
	denials := required_tags.deny with input as {"changes": [change(128, {"owner": "data"})]}
	some d in denials
	d.address == "vm.db"
}

test_big_vm_with_cost_center_passes if {
	count(required_tags.deny) == 0 with input as {"changes": [change(128, {"cost-center": "cc-42", "owner": "data"})]}
}

test_small_vm_needs_no_cost_center if {
	count(required_tags.deny) == 0 with input as {"changes": [change(64, {})]}
}

test_deleted_vm_is_not_checked if {
	count(required_tags.deny) == 0 with input as {"changes": [{"address": "vm.db", "action": "delete", "after": null}]}
}

test_missing_owner_warns if {
	count(required_tags.warn) == 1 with input as {"changes": [change(8, {})]}
}
