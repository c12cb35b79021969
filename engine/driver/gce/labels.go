package gce

import (
	"encoding/base32"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// Compute Engine's label rules: at most 64 labels; keys of 1 to 63
// lowercase letters, digits, _ and -, starting with a letter; values of
// at most 63 of the same characters.
const (
	maxLabels     = 64
	maxLabelValue = 63
)

// The marker's address is split over labels of 63 base32 characters (5
// bits each), 39 bytes and a bit per label. Of the 64 labels, the
// address may take maxAddressLabels: with novacron, the size, the spec hash
// (16 hex characters: one label) and a workspace's lineage (a UUID: one
// label; a Terraform resource's, two or three) that leaves at least 44
// for the user's tags. maxAddress is the longest address that fits, in
// bytes: Factory's MaxAddress, which the spec checks in characters (an
// address of other than ASCII characters may need more labels, which a
// create then refuses naming the label count).
const (
	maxAddressLabels = 16
	maxAddress       = maxAddressLabels * maxLabelValue * 5 / 8 // 630
)

var (
	labelKey   = lazyRegexp(`^[a-z][a-z0-9_-]{0,62}$`)
	labelValue = lazyRegexp(`^[a-z0-9_-]{0,63}$`)
)

// Label keys the driver writes. The marker's three fields are encoded
// (encodeField) and split over numbered labels: novacron-a0, novacron-a1
// … for the address, novacron-l… for the lineage, novacron-h… for the spec
// hash. novacron = "v1" says the instance carries a marker: the inventory
// lists by it.
const (
	labelMarker    = "novacron"
	markerVersion  = "v1"
	labelSize      = "novacron-size"
	labelPrefix    = "novacron"
	prefixAddress  = "novacron-a"
	prefixLineage  = "novacron-l"
	prefixSpecHash = "novacron-h"
	markerFilter   = "labels." + labelMarker + ":*"
)

// b32 is lowercase base32 without padding: every character is a label
// value character, and any bytes (an address holds any) round-trip.
var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// encodeField splits the encoding of s into label values of at most 63
// characters, under keys prefix0, prefix1, … An empty s writes prefix0 = "".
func encodeField(out map[string]string, prefix, s string) {
	enc := b32.EncodeToString([]byte(s))
	for i := 0; i == 0 || len(enc) > 0; i++ {
		n := min(len(enc), maxLabelValue)
		out[prefix+strconv.Itoa(i)] = enc[:n]
		enc = enc[n:]
	}
}

// decodeField joins prefix0, prefix1, … and decodes them; ok is false
// when prefix0 is missing or the text is no encoding.
func decodeField(labels map[string]string, prefix string) (string, bool) {
	var b strings.Builder
	for i := 0; ; i++ {
		v, ok := labels[prefix+strconv.Itoa(i)]
		if !ok {
			if i == 0 {
				return "", false
			}
			break
		}
		b.WriteString(v)
	}
	raw, err := b32.DecodeString(b.String())
	if err != nil {
		return "", false
	}
	return string(raw), true
}

// markerLabels are the labels that hold m.
func markerLabels(m driver.Marker) map[string]string {
	out := map[string]string{labelMarker: markerVersion}
	encodeField(out, prefixAddress, m.Address)
	encodeField(out, prefixLineage, m.Lineage)
	encodeField(out, prefixSpecHash, m.SpecHash)
	return out
}

// markerOf reads the marker from labels, and returns the user's labels
// (those not the driver's). The marker is nil when the labels carry none,
// or one that does not decode (then it is not NovaCron's to trust).
func markerOf(labels map[string]string) (*driver.Marker, map[string]string) {
	user := map[string]string{}
	for k, v := range labels {
		if !reserved(k) {
			user[k] = v
		}
	}
	if labels[labelMarker] != markerVersion {
		return nil, user
	}
	addr, ok1 := decodeField(labels, prefixAddress)
	lin, ok2 := decodeField(labels, prefixLineage)
	hash, ok3 := decodeField(labels, prefixSpecHash)
	if !ok1 || !ok2 || !ok3 {
		return nil, user
	}
	return &driver.Marker{Address: addr, Lineage: lin, SpecHash: hash}, user
}

// reserved says whether a label key is the driver's: novacron and
// novacron-….
func reserved(k string) bool {
	return k == labelPrefix || strings.HasPrefix(k, labelPrefix+"-") || strings.HasPrefix(k, labelPrefix+"_")
}

// checkTags says why the user's tags cannot be labels, naming every tag
// (in key order) that breaks a rule; nil when all can.
func checkTags(tags map[string]string) error {
	var bad []string
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		switch {
		case reserved(k):
			bad = append(bad, fmt.Sprintf("tag %q: keys novacron and novacron-… are reserved for NovaCron's marker on Compute Engine", k))
		case !labelKey().MatchString(k):
			bad = append(bad, fmt.Sprintf("tag %q: a Compute Engine label key is 1 to 63 characters a-z, 0-9, _ and -, starting with a letter a-z", k))
		case !labelValue().MatchString(v):
			bad = append(bad, fmt.Sprintf("tag %q = %q: a Compute Engine label value is at most 63 characters a-z, 0-9, _ and -", k, v))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return driver.Errorf(driver.KindPermanent, "tags: %s", strings.Join(bad, "; "))
}

// instanceLabels are all the labels of an instance: the user's tags, the
// marker (when there is one) and the size. It refuses tags that break the
// label rules, and more labels than Compute Engine takes.
func instanceLabels(tags map[string]string, m *driver.Marker, sz size) (map[string]string, error) {
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	out := maps.Clone(tags)
	if out == nil {
		out = map[string]string{}
	}
	if m != nil && *m != (driver.Marker{}) {
		maps.Copy(out, markerLabels(*m))
	}
	out[labelSize] = sizeLabel(sz)
	if len(out) > maxLabels {
		return nil, driver.Errorf(driver.KindPermanent,
			"%d labels: Compute Engine takes %d per instance, and NovaCron's marker and size take %d of them (a long address or lineage takes more): remove tags",
			len(out), maxLabels, len(out)-len(tags))
	}
	return out, nil
}

// size is what the size label records (driver.SizeChoice).
type size = driver.SizeChoice

// sizeLabel is the label's value: "2_4096_e2-medium", "2_4096_n2-standard-2_pinned".
func sizeLabel(s size) string { return s.Record("_") }

// parseSizeLabel reads a size label; ok is false when it is not one.
func parseSizeLabel(v string) (size, bool) { return driver.ParseSizeChoice(v, "_") }
