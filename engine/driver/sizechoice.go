package driver

import (
	"fmt"
	"strconv"
	"strings"
)

// SizeChoice is what a cloud driver records on an instance (in a tag or
// label) of the size it chose: the vCPUs and memory the VM was asked for,
// the machine size chosen for it, and whether the template named that
// size (then a resize keeps it while it fits).
type SizeChoice struct {
	CPU       int
	MemoryMiB int64
	Name      string
	Pinned    bool
}

// Record is the choice as one value, its parts joined by sep:
// "2/4096/m6i.large/pinned" with "/", "2_4096_e2-medium" with "_".
func (c SizeChoice) Record(sep string) string {
	v := fmt.Sprintf("%d%s%d%s%s", c.CPU, sep, c.MemoryMiB, sep, c.Name)
	if c.Pinned {
		v += sep + "pinned"
	}
	return v
}

// ParseSizeChoice reads a Record written with sep; ok is false when v is
// none.
func ParseSizeChoice(v, sep string) (c SizeChoice, ok bool) {
	parts := strings.Split(v, sep)
	if len(parts) < 3 || len(parts) > 4 || (len(parts) == 4 && parts[3] != "pinned") {
		return SizeChoice{}, false
	}
	cpu, err1 := strconv.Atoi(parts[0])
	mib, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || cpu < 1 || mib < 1 || parts[2] == "" {
		return SizeChoice{}, false
	}
	return SizeChoice{CPU: cpu, MemoryMiB: mib, Name: parts[2], Pinned: len(parts) == 4}, true
}
