package azure

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// Tag keys of NovaCron's record beside the marker's (driver.TagAddress …).
// Every key starts with "novacron:", so driver.MarkerFromTags keeps them
// out of the user's tags.
const (
	tagCPU      = "novacron:cpu"
	tagMemory   = "novacron:memory_mib"
	tagSize     = "novacron:vm_size" // the template's vm_size, when it gave one
	tagTemplate = "novacron:template"
)

// tagValueMax is the longest tag value Azure accepts; a longer template ID
// is split over novacron:template, novacron:template.1, ….
const tagValueMax = 256

// record is what NovaCron keeps in a VM's tags.
type record struct {
	marker    *driver.Marker
	user      map[string]string
	cpu       int   // asked for; 0: unknown
	memoryMiB int64 // asked for; 0: unknown
	givenSize string
	template  string
}

// tags renders the record as Azure tags.
func (r record) tags() map[string]*string {
	out := make(map[string]*string, len(r.user)+8)
	put := func(k, v string) { out[k] = &v }
	for k, v := range r.user {
		put(k, v)
	}
	if r.marker != nil {
		for k, v := range r.marker.Tags() {
			put(k, v)
		}
	}
	if r.cpu > 0 {
		put(tagCPU, strconv.Itoa(r.cpu))
		put(tagMemory, strconv.FormatInt(r.memoryMiB, 10))
	}
	if r.givenSize != "" {
		put(tagSize, r.givenSize)
	}
	for i, chunk := range chunks(r.template, tagValueMax) {
		put(templateKey(i), chunk)
	}
	return out
}

// readRecord reads the record from a VM's tags; what is missing or
// malformed stays zero.
func readRecord(tags map[string]*string) record {
	plain := make(map[string]string, len(tags))
	for k, v := range tags {
		if v != nil {
			plain[k] = *v
		}
	}
	var r record
	r.marker, r.user = driver.MarkerFromTags(plain)
	r.cpu, _ = strconv.Atoi(plain[tagCPU])
	r.memoryMiB, _ = strconv.ParseInt(plain[tagMemory], 10, 64)
	r.givenSize = plain[tagSize]
	var b strings.Builder
	for i := 0; ; i++ {
		chunk, ok := plain[templateKey(i)]
		if !ok {
			break
		}
		b.WriteString(chunk)
	}
	r.template = b.String()
	return r
}

func templateKey(i int) string {
	if i == 0 {
		return tagTemplate
	}
	return fmt.Sprintf("%s.%d", tagTemplate, i)
}

// chunks splits s into pieces of at most n bytes, never inside a UTF-8
// sequence.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := n
		for cut > 0 && !startsRune(s[cut]) {
			cut--
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

func startsRune(b byte) bool { return b&0xC0 != 0x80 }
