package novacron.max_vm_size_test

import data.novacron.max_vm_size

vm(cpu, gb) := {"changes": [{"address": "vm.big", "action": "create", "after": {"cpu": cpu, "memory_gb": gb}}]}

test_too_many_cpus_is_denied if {
	count(max_vm_size.deny) == 1 with input as vm(96, 64)
}

test_too_much_memory_is_denied if {
	count(max_vm_size.deny) == 1 with input as vm(8, 1024)
}

test_large_vm_warns_but_passes if {
	count(max_vm_size.deny) == 0 with input as vm(32, 384)
	count(max_vm_size.warn) == 1 with input as vm(32, 384)
}

test_normal_vm_passes if {
	count(max_vm_size.deny) == 0 with input as vm(4, 16)
	count(max_vm_size.warn) == 0 with input as vm(4, 16)
}
