package secret

import (
	"strings"
	"testing"
)

func TestTemplateDigest(t *testing.T) {
	a := TemplateDigest("lineage-1", "libvirt", "user_data", "#cloud-config\npassword: hunter2\n")
	if a != TemplateDigest("lineage-1", "libvirt", "user_data", "#cloud-config\npassword: hunter2\n") {
		t.Error("the digest is not stable")
	}
	for _, other := range []string{
		TemplateDigest("lineage-2", "libvirt", "user_data", "#cloud-config\npassword: hunter2\n"),
		TemplateDigest("lineage-1", "libvirt", "ssh_authorized_keys", "#cloud-config\npassword: hunter2\n"),
		TemplateDigest("lineage-1", "libvirt", "user_data", "#cloud-config\npassword: hunter3\n"),
	} {
		if other == a {
			t.Errorf("digest %s does not change with the lineage, setting or value", a)
		}
	}
	if strings.ContainsAny(a, ",=\"$") || len(a) != 22 {
		t.Errorf("digest %q cannot stand as a value in a template ID", a)
	}
}

func BenchmarkTemplateDigest(b *testing.B) {
	for b.Loop() {
		TemplateDigest("l", "libvirt", "user_data", "#cloud-config\n")
	}
}
