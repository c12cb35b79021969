package libvirt

import (
	"strconv"
	"strings"
)

// seedLabel is the volume label NoCloud looks for.
const seedLabel = "cidata"

// seedISO builds the NoCloud seed of a VM: meta-data with its instance ID,
// hostname and SSH keys (public-keys), and the template's user-data.
func (t template) seedISO(name, uuid string) ([]byte, error) {
	return buildISO(seedLabel, []isoFile{
		{name: "meta-data", data: []byte(metaData(name, uuid, t.sshKeys))},
		{name: "user-data", data: []byte(userData(t.userData))},
	})
}

// metaData is NoCloud's meta-data document (YAML; strings JSON-quoted).
func metaData(name, uuid string, keys []string) string {
	var b strings.Builder
	b.WriteString("instance-id: " + strconv.Quote(uuid) + "\n")
	b.WriteString("local-hostname: " + strconv.Quote(name) + "\n")
	if len(keys) > 0 {
		b.WriteString("public-keys:\n")
		for _, k := range keys {
			b.WriteString("  - " + strconv.Quote(strings.TrimSpace(k)) + "\n")
		}
	}
	return b.String()
}

// userData is the template's user-data, or an empty cloud-config.
func userData(s string) string {
	if s == "" {
		return "#cloud-config\n{}\n"
	}
	return s
}
