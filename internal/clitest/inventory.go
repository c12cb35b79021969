package clitest

import (
	"encoding/json"
	"testing"
)

// VM is a VM of `nova-plan inventory -json`, the parts tests read.
type VM struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Provider string  `json:"provider"`
	Host     string  `json:"host"`
	CPU      int     `json:"cpu"`
	MemoryGB float64 `json:"memory_gb"`
	DiskGB   int     `json:"disk_gb"`
	Power    string  `json:"power"`
	Address  string  `json:"address"`
}

// Inventory runs `inventory -json` with bin in dir and returns its VMs.
func Inventory(t testing.TB, bin, dir string) []VM {
	t.Helper()
	r := Run(t, bin, dir, "", "inventory", "-json").Must(t, 0, "inventory -json")
	var inv struct {
		VMs []VM `json:"vms"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &inv); err != nil {
		t.Fatalf("inventory -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	return inv.VMs
}
