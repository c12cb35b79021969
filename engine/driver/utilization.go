package driver

import "context"

// Usage is what a VM uses, as its driver measures it: CPU in cores
// (averaged over the driver's sampling window: 1.5 is one and a half
// cores busy) and memory in MiB (what the guest holds: the balloon's
// report, or the hypervisor process's resident memory).
type Usage struct {
	CPU       float64
	MemoryMiB float64
}

// UtilizationReader is implemented by drivers that can measure their VMs'
// use (`nova-plan rebalance` reads it). Utilization returns the use of
// every running VM it can measure, by VM id, in one bulk pass; a VM it
// cannot measure is left out, never reported as idle.
type UtilizationReader interface {
	Utilization(ctx context.Context) (map[string]Usage, error)
}
