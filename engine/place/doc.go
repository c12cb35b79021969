// Package place decides which host a new VM lands on. A Cluster holds each
// host's capacity and what is already allocated on it; a Placer checks every
// host for feasibility (capacity, pins), scores the feasible ones (spread,
// best fit) and records why each other host was rejected, so an unplaceable
// VM becomes a plan-time diagnostic that explains itself.
//
// BestFit is the basic placer; an optimizing scheduler can replace it behind
// the Placer interface. This package knows nothing of specs, plans or drivers
// beyond driver.Host.
package place
