package libvirt

import (
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// Namespace is the XML namespace of NovaCron's element in a domain's
// <metadata>; metadataKey is the prefix libvirt writes it with.
const (
	Namespace   = "https://novacron.dev/xmlns/libvirt/vm/1"
	metadataKey = "novacron"
)

// meta is what NovaCron records on a domain:
//
//	<novacron:vm xmlns:novacron="https://novacron.dev/xmlns/libvirt/vm/1">
//	  <marker address="fleet.web[0]" lineage="…" spec="…"/>
//	  <template>volume="debian-12.qcow2"</template>
//	  <disk-gb>20</disk-gb>
//	  <volume pool="default" role="disk">web-0-1a2b3c4d.qcow2</volume>
//	  <tag key="tier">web</tag>
//	</novacron:vm>
type meta struct {
	XMLName  xml.Name   `xml:"https://novacron.dev/xmlns/libvirt/vm/1 vm"`
	Marker   *xmlMarker `xml:"marker"`
	Template string     `xml:"template,omitempty"`
	DiskGB   int        `xml:"disk-gb,omitempty"`
	Volumes  []xmlVol   `xml:"volume"`
	Tags     []xmlTag   `xml:"tag"`
}

type xmlMarker struct {
	Address  string `xml:"address,attr"`
	Lineage  string `xml:"lineage,attr"`
	SpecHash string `xml:"spec,attr"`
}

// xmlVol is a volume the driver made for the VM, which Delete removes.
type xmlVol struct {
	Pool string `xml:"pool,attr"`
	Role string `xml:"role,attr"` // roleDisk, roleSeed or roleRetired
	Name string `xml:",chardata"`
}

// The roles of the volumes the driver makes.
const (
	roleDisk = "disk"
	roleSeed = "seed"
	// roleRetired is a disk volume replaced by a larger copy, recorded
	// before it is removed so that Delete removes it should that fail.
	roleRetired = "retired"
)

// volume returns the recorded volume of the role.
func (m meta) volume(role string) (xmlVol, bool) {
	for _, v := range m.Volumes {
		if v.Role == role {
			return v, true
		}
	}
	return xmlVol{}, false
}

type xmlTag struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// newMeta returns the metadata of a VM made from spec.
func newMeta(spec driver.VMSpec) meta {
	m := meta{Template: spec.Template.ID(), DiskGB: spec.DiskGB}
	m.setMarker(spec.Marker)
	m.setTags(spec.Tags)
	return m
}

// setMarker records m; a zero marker records none.
func (m *meta) setMarker(mk driver.Marker) {
	m.Marker = nil
	if mk != (driver.Marker{}) {
		m.Marker = &xmlMarker{Address: mk.Address, Lineage: mk.Lineage, SpecHash: mk.SpecHash}
	}
}

// setTags records the user tags in key order.
func (m *meta) setTags(tags map[string]string) {
	m.Tags = m.Tags[:0]
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		m.Tags = append(m.Tags, xmlTag{Key: k, Value: tags[k]})
	}
}

// marker returns the recorded marker, or nil.
func (m meta) marker() *driver.Marker {
	if m.Marker == nil {
		return nil
	}
	return &driver.Marker{Address: m.Marker.Address, Lineage: m.Marker.Lineage, SpecHash: m.Marker.SpecHash}
}

// tags returns a fresh map of the user tags.
func (m meta) tags() map[string]string {
	out := make(map[string]string, len(m.Tags))
	for _, t := range m.Tags {
		out[t.Key] = t.Value
	}
	return out
}

// encode renders the element for DomainSetMetadata or a domain definition.
func (m meta) encode() (string, error) {
	m.XMLName = xml.Name{Space: Namespace, Local: "vm"}
	b, err := xml.Marshal(m)
	return string(b), err
}

// findMeta extracts NovaCron's element from the inner XML of a domain's
// <metadata>, which may hold other applications' elements too. ok is false
// when there is none: a domain NovaCron did not make.
func findMeta(inner string) (m meta, ok bool, err error) {
	if !strings.Contains(inner, Namespace) {
		return meta{}, false, nil
	}
	dec := xml.NewDecoder(strings.NewReader(inner))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return meta{}, false, nil
		}
		if err != nil {
			return meta{}, false, err
		}
		se, isStart := tok.(xml.StartElement)
		if !isStart {
			continue
		}
		if se.Name.Space == Namespace && se.Name.Local == "vm" {
			err := dec.DecodeElement(&m, &se)
			return m, err == nil, err
		}
		if err := dec.Skip(); err != nil {
			return meta{}, false, err
		}
	}
}

// withMeta returns the inner XML of a domain's <metadata> with NovaCron's
// element replaced by enc (added when there is none), keeping other
// applications' elements as they are.
func withMeta(inner, enc string) (string, error) {
	dec := xml.NewDecoder(strings.NewReader(inner))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return inner + enc, nil
		}
		if err != nil {
			return "", err
		}
		se, isStart := tok.(xml.StartElement)
		if !isStart {
			continue
		}
		if err := dec.Skip(); err != nil {
			return "", err
		}
		if se.Name.Space == Namespace && se.Name.Local == "vm" {
			return inner[:start] + enc + inner[dec.InputOffset():], nil
		}
	}
}
