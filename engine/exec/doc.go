// Package exec applies a plan: it walks the plan's graph with a bounded
// worker pool, per-provider concurrency limits and rate limits, retries
// transient driver errors with backoff and jitter, skips the dependents of a
// failed change while independent work goes on, halts a fleet whose rollout
// batch failed, stops starting work when asked (or when the Recorder can no
// longer save state) and lets what is in flight finish, and records every
// finished action through one Recorder. A move is an adopt with MovedFrom
// (the marker rewritten, the record moved); a forget clears the VM's
// marker through its driver (driver.Changes.ClearMarker), then needs a
// Recorder that can abandon a VM (Abandoner).
//
// All concurrency of an apply lives in walk.go. Rendering progress is the
// caller's: it receives Events, one at a time.
package exec
