// Package workspace runs NovaCron's operations on one spec folder: it takes
// the state lock, reads state, loads the spec, opens the drivers, reads
// every inventory in bulk and concurrently, diffs them into a plan, checks a
// saved plan for staleness, and applies a plan through engine/exec with the
// state writer and the audit log. When state cannot be saved it writes the
// state as the apply left it to a recovery file (recovery.go). The CLI (and
// later the Terraform provider) drive operations through it; it renders
// nothing.
package workspace
