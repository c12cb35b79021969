package libvirt

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	lv "github.com/digitalocean/go-libvirt"
)

// The secrets of these tests all contain hunter2, in capitals, so that one
// search finds any of them in any output.
const hunter = "HUNTER2"

// mustNotShow fails if any run printed a secret, or any file of the
// workspace holds one.
func mustNotShow(t *testing.T, dir string, runs ...result) {
	t.Helper()
	for i, r := range runs {
		if strings.Contains(r.Stdout+r.Stderr, hunter) {
			t.Errorf("run %d shows a sensitive value:\n%s%s", i, r.Stdout, r.Stderr)
		}
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(data), hunter) && !strings.HasSuffix(path, ".nova.hcl") {
			t.Errorf("%s holds a sensitive value:\n%s", path, data)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// mustNotShowDomain fails if a domain's XML (its metadata included), as
// anyone with the read-only socket reads it, holds a secret.
func mustNotShowDomain(t *testing.T, l *lv.Libvirt, name string) {
	t.Helper()
	dom, err := l.DomainLookupByName(name)
	if err != nil {
		t.Fatalf("looking up domain %s: %v", name, err)
	}
	x, err := l.DomainGetXMLDesc(dom, 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(x, hunter) {
		t.Errorf("virsh dumpxml %s shows a sensitive value:\n%s", name, x)
	}
}

// TestSensitiveProviderSettingsNotInOpenErrors: a sensitive URI, socket,
// TLS folder or pool was printed in "Cannot open provider" errors.
func TestSensitiveProviderSettingsNotInOpenErrors(t *testing.T) {
	requireDaemon(t)
	spec := `
variable "uri" {
  type      = string
  sensitive = true
}
variable "pool" {
  type      = string
  sensitive = true
  default   = "default"
}
` + providerSpec("  uri  = var.uri\n  pool = var.pool", "base.qcow2")
	for _, tc := range []struct {
		name string
		vars []string
		want string
	}{
		{"user in the URI", []string{"uri=qemu+tcp://HUNTER2USER@127.0.0.1:1/system"}, "connection refused"},
		{"socket", []string{"uri=qemu:///system?socket=/tmp/HUNTER2SOCK"}, "dial unix (sensitive value)"},
		{"TLS folder", []string{"uri=qemu+tls://127.0.0.1:1/system?pkipath=/HUNTER2PKI"}, "clientcert.pem"},
		{"pool", []string{"uri=qemu:///system", "pool=HUNTER2POOL"}, `pool "(sensitive value)" not found`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSpec(t, dir, spec)
			var args []string
			for _, v := range tc.vars {
				args = append(args, "-var", v)
			}
			var runs []result
			for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"inventory"}} {
				r := nova(t, dir, append(cmd, args...)...).Must(t, 1, cmd[0])
				if !strings.Contains(r.Stderr, "Cannot open provider libvirt.bad") || !strings.Contains(r.Stderr, tc.want) {
					t.Errorf("%s: stderr lacks the error %q:\n%s", cmd[0], tc.want, r.Stderr)
				}
				runs = append(runs, r)
			}
			mustNotShow(t, dir, runs...)
		})
	}
}

// TestSensitiveTemplateValueNotInApplyErrors: a driver's apply error that
// quotes a sensitive template value (a kernel path that does not exist) was
// printed and written to the audit history.
func TestSensitiveTemplateValueNotInApplyErrors(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "sec")
	dir := t.TempDir()
	writeSpec(t, dir, fmt.Sprintf(`
variable "k" {
  type      = string
  sensitive = true
}
provider "libvirt" "local" {
  uri         = "qemu:///system"
  domain_type = "qemu"
}
template "t" {
  libvirt { kernel = var.k }
}
vm "one" {
  name      = "%s0"
  template  = template.t
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = 1
}
`, prefix))
	v := "k=" + guestDir + "/HUNTER2KERNEL"
	apply := nova(t, dir, "apply", "-auto-approve", "-var", v).Must(t, 1, "apply")
	if !strings.Contains(apply.Stderr, "vm.one: create failed") || !strings.Contains(apply.Stderr, "(sensitive value)") {
		t.Errorf("apply does not report the failed create with the value hidden:\n%s", apply.Stderr)
	}
	history, err := os.ReadFile(filepath.Join(dir, ".nova", "history.jsonl"))
	if err != nil || !strings.Contains(string(history), `"outcome":"failed"`) {
		t.Fatalf("the history does not record the failed create (%v):\n%s", err, history)
	}
	show := nova(t, dir, "show", "-json").Must(t, 0, "show -json")
	mustNotShow(t, dir, apply, show)
	checkLeft(t, l, prefix, nil, nil)
}

// sealedSpec is one stopped VM booted from the test kernel, whose
// template's user_data is given by ud (a literal or a variable).
func sealedSpec(name, ud string) string {
	return fmt.Sprintf(`
variable "ud" {
  type      = string
  sensitive = true
  default   = "#cloud-config\n# nothing\n"
}
provider "libvirt" "local" {
  uri         = "qemu:///system"
  domain_type = "qemu"
}
template "t" {
  libvirt {
    kernel    = "%s/vmlinuz"
    user_data = %s
  }
}
vm "taken" {
  name      = %q
  template  = template.t
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = 1
  power     = "stopped"
}
`, guestDir, ud, name)
}

// TestUserDataIsSealed: the libvirt driver declares user_data sensitive,
// so even a literal value is sealed in the domain's metadata, state, plans
// and inventory. A domain made before (its metadata and state hold the
// value in plain text) is not replaced: the plan sees the same template.
func TestUserDataIsSealed(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "sec")
	name := prefix + "0"
	const ud = "#cloud-config\n# HUNTER2USERDATA\n"
	dir := t.TempDir()
	writeSpec(t, dir, sealedSpec(name, strconv.Quote(ud)))
	runs := []result{
		nova(t, dir, "plan", "-out=p.plan").Must(t, 0, "plan -out"),
		nova(t, dir, "show", "-json", "p.plan").Must(t, 0, "show -json PLANFILE"),
		nova(t, dir, "apply", "p.plan").Must(t, 0, "apply"),
		nova(t, dir, "show", "-json").Must(t, 0, "show -json"),
		nova(t, dir, "inventory", "-json").Must(t, 0, "inventory -json"),
		nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after apply"),
	}
	if !strings.Contains(runs[0].Stdout, "user_data=sensitive:$argon2id$") {
		t.Errorf("the plan does not show user_data sealed:\n%s", runs[0].Stdout)
	}
	mustNotShow(t, dir, runs...)
	mustNotShowDomain(t, l, name)

	// An earlier version wrote the template ID with user_data in plain
	// text, in the domain's metadata and in state.
	dom, err := l.DomainLookupByName(name)
	if err != nil {
		t.Fatal(err)
	}
	sealed := setTemplateMeta(t, l, dom, func(sealed string) string {
		return sealed[:strings.Index(sealed, "user_data=")] + "user_data=" + strconv.Quote(ud)
	})
	plain := domainTemplate(t, l, dom)
	if !strings.Contains(plain, hunter) {
		t.Fatalf("the domain's template is not in plain text: %s", plain)
	}
	statePath := filepath.Join(dir, ".nova", "state.json")
	st, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	js := func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) }
	old := strings.Replace(string(st), js(sealed), js(plain), 1)
	if old == string(st) {
		t.Fatalf("the state does not hold the template ID %s:\n%s", sealed, st)
	}
	if err := os.WriteFile(statePath, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan of a VM made before user_data was sensitive")
	if strings.Contains(r.Stdout, "replace") || strings.Contains(r.Stdout, hunter) {
		t.Errorf("plan:\n%s", r.Stdout)
	}
	writeSpec(t, dir, strings.Replace(sealedSpec(name, strconv.Quote(ud)), "cpu       = 1", "cpu       = 2", 1))
	r = nova(t, dir, "plan", "-json").Must(t, 0, "plan -json of a cpu change")
	if got := planJSON(t, dir).actions(); len(got) != 1 || got[0] != "vm.taken update" || strings.Contains(r.Stdout, hunter) {
		t.Errorf("a cpu change of that VM plans %v:\n%s", got, r.Stdout)
	}
}

// TestImportComparesSealedTemplates: a VM whose user_data another
// workspace sealed (with its own salt) imports into this one, and the next
// plan sees the same template: it used to plan a replace, which destroyed
// the VM just imported.
func TestImportComparesSealedTemplates(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "sec")
	name := prefix + "0"
	ud := "ud=#cloud-config\n# HUNTER2IMPORT\n"
	a, b := t.TempDir(), t.TempDir()
	writeSpec(t, a, sealedSpec(name, "var.ud"))
	writeSpec(t, b, sealedSpec(name, "var.ud"))
	runs := []result{nova(t, a, "apply", "-auto-approve", "-var", ud).Must(t, 0, "apply in A")}
	dom, err := l.DomainLookupByName(name)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprintf("%x-%x-%x-%x-%x", dom.UUID[0:4], dom.UUID[4:6], dom.UUID[6:8], dom.UUID[8:10], dom.UUID[10:])
	runs = append(runs,
		nova(t, a, "state", "rm", "vm.taken").Must(t, 0, "state rm in A"),
		nova(t, b, "import", "-force", "-var", ud, "vm.taken", id).Must(t, 0, "import in B"),
		nova(t, b, "plan", "-detailed-exitcode", "-var", ud).Must(t, 0, "plan in B after the import"))
	mustNotShow(t, a, runs...)
	mustNotShow(t, b)
	other := strings.Replace(ud, "HUNTER2IMPORT", "HUNTER2OTHER", 1)
	if r := nova(t, b, "plan", "-var", other).Must(t, 0, "plan with other user data"); !strings.Contains(r.Stdout, "must be replaced") {
		t.Errorf("other user data does not plan a replace:\n%s", r.Stdout)
	}
}

// domainTemplate reads the template ID in a domain's metadata.
func domainTemplate(t *testing.T, l *lv.Libvirt, dom lv.Domain) string {
	t.Helper()
	x, err := l.DomainGetXMLDesc(dom, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := parseDomain(x)
	if err != nil || !d.managed {
		t.Fatalf("reading the metadata of %s: %v\n%s", dom.Name, err, x)
	}
	return d.meta.Template
}

// setTemplateMeta writes the template ID edit makes of the one in a
// domain's metadata, as an earlier version would have written it, and
// returns the one it replaced.
func setTemplateMeta(t *testing.T, l *lv.Libvirt, dom lv.Domain, edit func(string) string) string {
	t.Helper()
	x, err := l.DomainGetMetadata(dom, int32(lv.DomainMetadataElement), lv.OptString{Namespace}, lv.DomainAffectConfig)
	if err != nil {
		t.Fatal(err)
	}
	was := domainTemplate(t, l, dom)
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(edit(was))); err != nil {
		t.Fatal(err)
	}
	start, end := strings.Index(x, "<template>")+len("<template>"), strings.Index(x, "</template>")
	x = x[:start] + b.String() + x[end:]
	if err := l.DomainSetMetadata(dom, int32(lv.DomainMetadataElement), []string{x}, []string{metadataKey}, []string{Namespace}, lv.DomainAffectConfig); err != nil {
		t.Fatal(err)
	}
	return was
}
