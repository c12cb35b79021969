// Package place decides which host a new VM lands on. A Cluster holds each
// host's capacity and what is already allocated on it; a Placer finds the
// feasible hosts (capacity, pins), ranks them (spread, best fit) and, when
// none can take the VM, records why each host was rejected, so an
// unplaceable VM becomes a plan-time diagnostic that explains itself. The
// Cluster keeps its hosts indexed by free capacity in BestFit's order, so a
// placement does not look at every host.
//
// BestFit is the basic placer; an optimizing scheduler can replace it behind
// the Placer interface. This package knows nothing of specs, plans or drivers
// beyond driver.Host.
package place
