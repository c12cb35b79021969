// Package rebalance chooses live migrations that clear hot hosts, or that
// empty hosts so they can be powered off (consolidation), from the hosts'
// capacity, the VMs' allocations and their measured (or forecast)
// utilization.
//
// The pipeline: loads (each host's use per dimension, from its VMs'
// utilization) → hot hosts (above the threshold in any dimension) → per
// hot host, the minimum-eviction lower bound and an eviction set of few
// VMs → targets (a host that is not hot, not a source, keeps its
// allocations within capacity, stays at or under the threshold, and holds
// no VM of the moving VM's spread group) → moves kept when gain ÷
// disruption ≥ the minimum ratio, within the move budget. Every VM or
// host it leaves alone carries the reason.
//
// Requests (requests.go) turns a plan.Input (the spec's pins and spread
// rules, the state's VMs, the inventories) and the utilization — a
// -utilization file (usagefile.go, with engine/forecast for -predict) or
// the drivers' driver.UtilizationReader — into migration requests. Without
// a file, a provider whose driver is no reader is named in the report and
// in a warning that points at -utilization (unreported.go).
//
// It must not plan, read inventories or call drivers: it works on what it
// is given and returns requests, which engine/plan turns into an ordinary
// plan of migrations (plan.PlanRequests) that engine/operation fingerprints
// and orders like any plan. It uses engine/place's Cluster for allocation
// capacity and nothing else of placement.
package rebalance
