package policy

import (
	"cmp"
	"slices"
)

// The levels of a Result: the names of the rules that yield them.
const (
	Deny = "deny" // the plan is refused
	Warn = "warn" // the plan goes on; the message is shown
)

// Result is one message of a deny or warn rule. Address is the VM or
// fleet address the rule named ("" when it gave a plain message).
type Result struct {
	Level   string `json:"level"`
	Address string `json:"address,omitempty"`
	Message string `json:"message"`
}

// Denied reports whether any result is a denial.
func Denied(results []Result) bool {
	return slices.ContainsFunc(results, func(r Result) bool { return r.Level == Deny })
}

// sortResults orders results denials first, then by address and message,
// without duplicates (two packages may say the same thing).
func sortResults(rs []Result) []Result {
	slices.SortFunc(rs, func(a, b Result) int {
		return cmp.Or(cmp.Compare(levelRank(a.Level), levelRank(b.Level)),
			cmp.Compare(a.Address, b.Address), cmp.Compare(a.Message, b.Message))
	})
	return slices.Compact(rs)
}

func levelRank(level string) int {
	if level == Deny {
		return 0
	}
	return 1
}
