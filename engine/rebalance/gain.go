package rebalance

// Gain and disruption of one move, both in percentage points (pp) of the
// source host, so that their ratio has a meaning of its own:
//
//   - gain, in hot mode, is the overload the move takes off its source:
//     Σ over cpu and memory of min(VM's use, host's use above the
//     threshold) ÷ host capacity × 100. A VM using 6 cores of a 32-core
//     host at 95 % (excess 4.8 cores) gains 15 pp. In consolidation, the
//     host's whole capacity (100 pp) is the gain, shared by the moves that
//     empty it: 100 ÷ its VM count.
//   - disruption is what a live migration costs: the memory it copies
//     (the VM's memory use) as a share of the source's memory × 100, and
//     at least 1 pp (a move is never free: the guest pauses at the end).
//
// A move is kept when gain ÷ disruption ≥ the minimum ratio (0.5, as
// Karpenter's consolidation does with savings ÷ disruption).

func (f *fleet) hotGain(vm *VM, excess [2]float64) float64 {
	h := f.cap[vm.Host]
	return percent(min(vm.UseCPU, excess[0]), float64(h.CPU)) + percent(min(vm.UseMemoryMiB, excess[1]), float64(h.MemoryMiB))
}

func (f *fleet) disruption(vm *VM) float64 {
	return max(1, percent(vm.UseMemoryMiB, float64(f.cap[vm.Host].MemoryMiB)))
}
