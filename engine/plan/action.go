package plan

import "fmt"

// Action is what a change does.
type Action int

// The actions, in the order summaries list them.
const (
	Create Action = iota + 1
	Update
	Replace
	Delete
	Migrate
	Start
	Stop
	Adopt
	// Move records a VM at its new address (a moved block): its ownership
	// marker is rewritten, no other driver call is made (moves.go).
	Move
	// Forget stops managing a VM (a removed block with destroy = false):
	// its ownership marker is cleared, the state drops it and abandons
	// it, and the VM is otherwise left as it is.
	Forget
)

// Actions lists every action.
var Actions = []Action{Create, Update, Replace, Delete, Migrate, Start, Stop, Adopt, Move, Forget}

// summaryAlways are the actions a summary counts even when the plan has
// none; the others (move, forget) only when it has some.
var summaryAlways = Actions[:Adopt]

var actionNames = map[Action]string{
	Create: "create", Update: "update", Replace: "replace", Delete: "delete",
	Migrate: "migrate", Start: "start", Stop: "stop", Adopt: "adopt",
	Move: "move", Forget: "forget",
}

func (a Action) String() string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// ParseAction is the inverse of String.
func ParseAction(s string) (Action, error) {
	for a, n := range actionNames {
		if n == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("unknown action %q", s)
}

// MarshalText implements encoding.TextMarshaler.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	*a = v
	return err
}
