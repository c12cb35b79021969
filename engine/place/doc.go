// Package place decides which host a new VM lands on. A Cluster holds each
// host's capacity (CPU, memory, disk where reported), its labels and what is
// already allocated on it; a Placer finds the feasible hosts (capacity,
// pins, labels, anti-affinity, failure domains), ranks them and, when none
// can take the VM, records why each host was rejected, so an unplaceable
// VM becomes a plan-time diagnostic that explains itself (Closest picks the
// few hosts nearest to taking it).
//
// Vector is the placer plans use: vector packing by the L2 norm one VM at
// a time, and for a batch the best of several packings (bin-centric dot
// product, L2 best fit decreasing, first-fit decreasing variants, a
// knapsack fill per host), so a
// batch never uses more hosts than FFD. BestFit is the placer before it,
// kept with its index by free capacity (index.go); FFD is the yardstick
// of the quality suite, whose lower bound lives in lpbound.
//
// This package knows nothing of specs, plans or drivers beyond driver.Host,
// and must not call a driver: it only decides.
package place
