package secret

import (
	"strings"
	"testing"
)

const userData = "#cloud-config\npassword: hunter2\n"

func TestTemplateDigest(t *testing.T) {
	a := TemplateDigest("lineage-1", "libvirt", "user_data", userData)
	if a != TemplateDigest("lineage-1", "libvirt", "user_data", userData) {
		t.Error("the digest is not stable")
	}
	for _, other := range []string{
		TemplateDigest("lineage-2", "libvirt", "user_data", userData),
		TemplateDigest("lineage-1", "libvirt", "ssh_authorized_keys", userData),
		TemplateDigest("lineage-1", "libvirt", "user_data", "#cloud-config\npassword: hunter3\n"),
	} {
		if other == a {
			t.Errorf("digest %s does not change with the lineage, setting or value", a)
		}
	}
	if strings.ContainsAny(a, ",=\" \n") && !strings.HasPrefix(a, "$argon2id$v=19$m=19456;t=2;p=1$") {
		t.Errorf("digest %q cannot stand as a value in a template ID", a)
	}
	if strings.Contains(a, ",") || strings.Contains(a, "hunter2") {
		t.Errorf("digest %q holds a comma or the value", a)
	}
	if !IsTemplateDigest(a) || IsTemplateDigest(`"x"`) {
		t.Error("IsTemplateDigest does not tell a digest from a value")
	}
}

// A digest is checked with its own salt: by another owner, or this one
// after its lineage was lost.
func TestMatchTemplateDigest(t *testing.T) {
	d := TemplateDigest("lineage-A", "libvirt", "user_data", userData)
	for _, tt := range []struct {
		digest, value string
		want          bool
	}{
		{d, userData, true},
		{d, userData + " ", false},
		{d, "", false},
		{strings.Replace(d, "m=19456", "m=99999999", 1), userData, false}, // a doctored cost
		{strings.Replace(d, ";", ",", 1), userData, false},
		{LegacyTemplateDigest("lineage-A", "libvirt", "user_data", userData), userData, false},
		{d[:len(d)-4], userData, false},
	} {
		if got := MatchTemplateDigest(tt.digest, tt.value); got != tt.want {
			t.Errorf("MatchTemplateDigest(%q, %q) = %v, want %v", tt.digest, tt.value, got, tt.want)
		}
	}
}

// Ten thousand VMs sealed with one salt cost one argon2id computation.
func TestMatchTemplateDigestComputesOncePerSalt(t *testing.T) {
	d := TemplateDigest("lineage-cache", "sim", "image", "cached-value")
	before := digests.computed()
	for range 10000 {
		if !MatchTemplateDigest(d, "cached-value") {
			t.Fatal("no match")
		}
	}
	if n := digests.computed() - before; n != 0 {
		t.Errorf("10,000 matches computed %d more digests, want none beyond the one sealing made", n)
	}
}

func BenchmarkTemplateDigest(b *testing.B) {
	for b.Loop() {
		TemplateDigest("l", "libvirt", "user_data", "#cloud-config\n")
	}
}

// BenchmarkMatchTemplateDigest10k is the template check of a plan of
// 10,000 VMs imported from another owner: one digest, then cache hits.
func BenchmarkMatchTemplateDigest10k(b *testing.B) {
	for b.Loop() {
		clear(digests.m)
		d := TemplateDigest("other-owner", "libvirt", "user_data", userData)
		for range 10000 {
			MatchTemplateDigest(d, userData)
		}
	}
}
