package driver

import "strings"

// Marker is the ownership record NovaCron writes on every VM it creates. It
// lets a plan find a VM whose creation was not saved to state (an apply that
// crashed) and adopt it instead of creating it twice.
type Marker struct {
	Address  string `json:"address"`   // e.g. fleet.web[2]
	Lineage  string `json:"lineage"`   // the state lineage that owns the VM
	SpecHash string `json:"spec_hash"` // hash of the desired attributes at creation
}

// Tag keys for drivers that keep the marker in key/value tags.
const (
	TagAddress  = "novacron:address"
	TagLineage  = "novacron:lineage"
	TagSpecHash = "novacron:spec"
)

// Tags returns the marker as tags.
func (m Marker) Tags() map[string]string {
	return map[string]string{TagAddress: m.Address, TagLineage: m.Lineage, TagSpecHash: m.SpecHash}
}

// MarkerFromTags extracts a marker from tags and returns the remaining user
// tags. The marker is nil when the tags carry none.
func MarkerFromTags(tags map[string]string) (*Marker, map[string]string) {
	user := make(map[string]string, len(tags))
	var m Marker
	found := false
	for k, v := range tags {
		switch k {
		case TagAddress:
			m.Address, found = v, true
		case TagLineage:
			m.Lineage = v
		case TagSpecHash:
			m.SpecHash = v
		default:
			if !strings.HasPrefix(k, "novacron:") {
				user[k] = v
			}
		}
	}
	if !found {
		return nil, user
	}
	return &m, user
}
