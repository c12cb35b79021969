package hyperv

import (
	"maps"
	"strings"

	"github.com/google/uuid"

	"github.com/novacron/novacron/engine/driver"
)

const (
	mib = 1 << 20
	gib = 1 << 30
)

// vmRec is a VM as the scripts report it (Rec in the prelude).
type vmRec struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Host  string `json:"host"`
	CPU   int    `json:"cpu"`
	Mem   int64  `json:"mem"`
	State string `json:"state"`
	Notes string `json:"notes"`
	Disk  int64  `json:"disk"`
	VHD   string `json:"vhd"`
}

// hostRec is a host as the inventory script reports it.
type hostRec struct {
	Name string `json:"name"`
	CPU  int    `json:"cpu"`
	Mem  int64  `json:"mem"`
}

// vm is the driver's view of a scripted VM.
func (r vmRec) vm() driver.VM {
	_, rec, _ := readNotes(r.Notes)
	tpl := rec.Template
	if rec.Creating {
		tpl = unfinishedPrefix + tpl
	}
	return driver.VM{
		ID: r.ID, Name: r.Name, Host: r.Host, CPU: r.CPU,
		MemoryMiB: r.Mem / mib, DiskGB: int(r.Disk / gib),
		Power: power(r.State), Template: tpl,
		Tags: maps.Clone(rec.Tags), Marker: rec.marker(),
	}
}

// power maps Hyper-V's VM state: Off and Saved hold no CPU; Running,
// Paused and the transitions between are running.
func power(state string) driver.Power {
	switch state {
	case "Off", "Saved", "OffCritical", "SavedCritical":
		return driver.PowerStopped
	}
	return driver.PowerRunning
}

// CanonicalID spells a VM id as Hyper-V's VMId GUID prints it: lower case
// with dashes. Hyper-V takes a GUID in any case, with or without dashes
// or braces; NovaCron compares ids as strings, so only this one is used.
func (d *Driver) CanonicalID(id string) (string, bool) {
	u, err := uuid.Parse(strings.TrimSuffix(strings.TrimPrefix(id, "{"), "}"))
	if err != nil {
		return id, false
	}
	return u.String(), true
}

// checkID refuses an id that is not canonical; ok is false for an id that
// names no VM of this driver in any spelling (not found).
func (d *Driver) checkID(id string) (ok bool, err error) {
	if err := driver.CheckID(id); err != nil {
		return false, err
	}
	c, ok := d.CanonicalID(id)
	if !ok {
		return false, nil
	}
	if c != id {
		return false, driver.NotCanonical(id, c)
	}
	return true, nil
}
