package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// TestReleaseFromMirror installs the provider as a user of an air-gapped
// estate does: `make release`'s script (scripts/release.sh, goreleaser in
// snapshot mode, for the host platform alone) builds the release and signs
// its SHA256SUMS with a throwaway key; gpg verifies the signature; the zip
// goes into a filesystem mirror, and the real Terraform CLI installs it
// from there with `terraform init` (no dev_overrides), locking the hash
// of the zip SHA256SUMS lists; examples/terraform is applied, planned and, after a
// second release with a higher version and `terraform init -upgrade`,
// planned clean by the new version and destroyed. The release's nova-plan
// archive unpacks and reports the version, commit and date stamped.
func TestReleaseFromMirror(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	fpr := throwawayKey(t)
	commit := strings.TrimSpace(mustRun(t, root, nil, "git", "rev-parse", "HEAD"))

	first := release(t, root, work, fpr, "0.2.0")
	first.verify(t)
	first.checkNovaPlan(t, commit)

	mirror := filepath.Join(work, "mirror")
	first.addTo(t, mirror)
	w := mirrorWorkdir(t, mirror)
	w.run(0, "init")
	// From a filesystem mirror Terraform records the h1: hash of the
	// package's contents (zh:, the zip's SHA-256, only from a registry's
	// signed SHA256SUMS): it must be the hash of the zip SHA256SUMS lists.
	if got := w.lockedVersion(); got.version != "0.2.0" || !got.has(first.h1) {
		t.Fatalf("after init, .terraform.lock.hcl locks %+v; want version 0.2.0 with the hash %s of the released zip", got, first.h1)
	}
	if out := w.run(0, "plan"); !strings.Contains(out, "Plan: 2 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("first plan:\n%s", out)
	}
	w.run(0, "apply", "-auto-approve")
	w.run(0, "plan", "-detailed-exitcode")

	second := release(t, root, work, fpr, "0.3.0")
	second.verify(t)
	second.addTo(t, mirror)
	w.run(0, "init") // the lock file keeps 0.2.0
	if got := w.lockedVersion(); got.version != "0.2.0" {
		t.Fatalf("init without -upgrade moved the lock to %+v", got)
	}
	w.run(0, "init", "-upgrade")
	if got := w.lockedVersion(); got.version != "0.3.0" || !got.has(second.h1) || got.has(first.h1) {
		t.Fatalf("after init -upgrade, .terraform.lock.hcl locks %+v; want version 0.3.0 with the hash %s alone", got, second.h1)
	}
	installed := filepath.Join(w.dir, ".terraform", "providers", "registry.terraform.io", "novacron", "novacron", "0.3.0", runtime.GOOS+"_"+runtime.GOARCH)
	if _, err := os.Stat(filepath.Join(installed, "terraform-provider-novacron_v0.3.0")); err != nil {
		t.Fatalf("init -upgrade did not install the provider 0.3.0: %v", err)
	}
	w.run(0, "plan", "-detailed-exitcode") // 0.3.0 reads 0.2.0's state: nothing to do
	w.run(0, "destroy", "-auto-approve")
	assertSimEmpty(t, filepath.Join(w.dir, ".novacron", "sim-lab.json"))
}

// throwawayKey makes a signing key without a passphrase in a new
// GNUPGHOME, which it sets for the test, and returns its fingerprint. The
// folder's path is short: gpg-agent's socket lives in it, and a socket's
// path is limited to about 100 bytes.
func throwawayKey(t *testing.T) string {
	t.Helper()
	return throwawayKeyExpiring(t, "1d")
}

// throwawayKeyExpiring is throwawayKey with the key's expiry given as gpg
// --quick-gen-key takes it (1d, seconds=1).
func throwawayKeyExpiring(t *testing.T, expire string) string {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Fatal("gpg is missing: scripts/release-tools-up.sh installs it (make test runs it)")
	}
	home, err := os.MkdirTemp("", "gpg")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", home)
	t.Cleanup(func() {
		exec.Command("gpgconf", "--kill", "all").Run() // gpg-agent, started by the key's generation
		os.RemoveAll(home)
	})
	mustRun(t, home, nil, "gpg", "--batch", "--passphrase", "", "--quick-gen-key",
		"NovaCron release test <release-test@example.invalid>", "ed25519", "sign", expire)
	colons := mustRun(t, home, nil, "gpg", "--batch", "--list-secret-keys", "--with-colons")
	m := regexp.MustCompile(`(?m)^fpr:+([0-9A-F]{40}):`).FindStringSubmatch(colons)
	if m == nil {
		t.Fatalf("no fingerprint in gpg --list-secret-keys --with-colons:\n%s", colons)
	}
	return m[1]
}

// released is one release, built into dist.
type released struct {
	dist, version string
	zip           string // the provider's zip of the host platform
	zipSum        string // its SHA-256, as SHA256SUMS lists it
	h1            string // the h1: hash of its contents, as a lock file has it
}

// release runs scripts/release.sh for the host platform.
func release(t *testing.T, root, work, fpr, version string) released {
	t.Helper()
	r := released{dist: filepath.Join(work, "dist-"+version), version: version}
	mustRun(t, root, []string{
		"VERSION=" + version, "GPG_FINGERPRINT=" + fpr, "NOVA_RELEASE_HOST_ONLY=1",
		"NOVA_RELEASE_DIST=" + r.dist, "TMPDIR=" + work,
	}, "scripts/release.sh")
	r.zip = fmt.Sprintf("terraform-provider-novacron_%s_%s_%s.zip", version, runtime.GOOS, runtime.GOARCH)
	sums := r.file(t, "SHA256SUMS")
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(sums), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q is not SUM  NAME", line)
		}
		names = append(names, name)
		if name == r.zip {
			r.zipSum = sum
		}
	}
	data, err := os.ReadFile(filepath.Join(r.dist, r.zip))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%x", sha256.Sum256(data)); got != r.zipSum {
		t.Fatalf("%s has the SHA-256 %s; SHA256SUMS lists %q", r.zip, got, r.zipSum)
	}
	r.h1 = h1Hash(t, data)
	want := []string{r.zip, fmt.Sprintf("terraform-provider-novacron_%s_manifest.json", version)}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("SHA256SUMS lists %v, want %v", names, want)
	}
	var manifest struct {
		Version  int
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		}
	}
	if err := json.Unmarshal([]byte(r.file(t, "manifest.json")), &manifest); err != nil || manifest.Version != 1 || fmt.Sprint(manifest.Metadata.ProtocolVersions) != "[6.0]" {
		t.Fatalf("the registry manifest: %+v, %v", manifest, err)
	}
	return r
}

// file returns the release's terraform-provider-novacron_VERSION_SUFFIX.
func (r released) file(t *testing.T, suffix string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(r.dist, fmt.Sprintf("terraform-provider-novacron_%s_%s", r.version, suffix)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// verify checks the signature of SHA256SUMS with gpg, as docs/install.md
// shows, and that gpg refuses it for a SHA256SUMS changed by one byte.
func (r released) verify(t *testing.T) {
	t.Helper()
	sums := fmt.Sprintf("terraform-provider-novacron_%s_SHA256SUMS", r.version)
	out := mustRun(t, r.dist, nil, "gpg", "--batch", "--verify", sums+".sig", sums)
	if !strings.Contains(out, "Good signature") {
		t.Errorf("gpg --verify says no good signature:\n%s", out)
	}
	forged := filepath.Join(t.TempDir(), "SHA256SUMS")
	data := []byte(r.file(t, "SHA256SUMS"))
	data[0] ^= 1
	if err := os.WriteFile(forged, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("gpg", "--batch", "--verify", filepath.Join(r.dist, sums+".sig"), forged).CombinedOutput(); err == nil {
		t.Errorf("gpg accepts the signature for a changed SHA256SUMS:\n%s", out)
	}
}

// checkNovaPlan unpacks the nova-plan archive of the host platform (with
// tar, as docs/install.md shows), checks its signature, and runs the
// binary's version commands.
func (r released) checkNovaPlan(t *testing.T, commit string) {
	t.Helper()
	archive := fmt.Sprintf("nova-plan_%s_%s_%s.tar.gz", r.version, runtime.GOOS, runtime.GOARCH)
	mustRun(t, r.dist, nil, "gpg", "--batch", "--verify", archive+".sig", archive)
	dir := t.TempDir()
	mustRun(t, dir, nil, "tar", "-xzf", filepath.Join(r.dist, archive))
	for _, f := range []string{"nova-plan", "README.md", "docs/install.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the archive has no %s: %v", f, err)
		}
	}
	bin := filepath.Join(dir, "nova-plan")
	text := mustRun(t, dir, nil, bin, "version")
	wantText := fmt.Sprintf("nova-plan v%s\non %s_%s, built with ", r.version, runtime.GOOS, runtime.GOARCH)
	if !strings.HasPrefix(text, wantText) || !strings.Contains(text, "\nfrom commit "+commit+" of ") {
		t.Errorf("nova-plan version printed:\n%s\nwant it to start %q and name the commit %s", text, wantText, commit)
	}
	var v map[string]string
	if err := json.Unmarshal([]byte(mustRun(t, dir, nil, bin, "version", "-json")), &v); err != nil {
		t.Fatal(err)
	}
	if v["version"] != r.version || v["commit"] != commit || !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`).MatchString(v["date"]) {
		t.Errorf("nova-plan version -json: %v; want version %s, commit %s and an RFC 3339 date", v, r.version, commit)
	}
}

// addTo puts the release's zip into a filesystem mirror in Terraform's
// packed layout: HOSTNAME/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_OS_ARCH.zip.
func (r released) addTo(t *testing.T, mirror string) {
	t.Helper()
	dir := filepath.Join(mirror, "registry.terraform.io", "novacron", "novacron")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(r.dist, r.zip))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, r.zip), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mirrorWorkdir copies examples/terraform into a new folder with a CLI
// configuration that installs providers from the mirror alone (the
// configuration docs/install.md shows).
func mirrorWorkdir(t *testing.T, mirror string) *workdir {
	t.Helper()
	w := newWorkdir(t)
	cfg := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"registry.terraform.io/novacron/novacron\"]\n  }\n}\n", mirror)
	if err := os.WriteFile(w.cli, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return w
}

// locked is what .terraform.lock.hcl records of the provider.
type locked struct {
	version string
	hashes  []string
}

func (l locked) has(hash string) bool {
	for _, h := range l.hashes {
		if h == hash {
			return true
		}
	}
	return false
}

func (w *workdir) lockedVersion() locked {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.dir, ".terraform.lock.hcl"))
	if err != nil {
		w.t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)provider "registry\.terraform\.io/novacron/novacron" \{(.*?)\n\}`).FindSubmatch(data)
	if block == nil {
		w.t.Fatalf(".terraform.lock.hcl has no block for registry.terraform.io/novacron/novacron:\n%s", data)
	}
	var l locked
	if m := regexp.MustCompile(`\n\s*version\s*=\s*"([^"]*)"`).FindSubmatch(block[1]); m != nil {
		l.version = string(m[1])
	}
	hashes := regexp.MustCompile(`(?s)hashes\s*=\s*\[(.*?)\]`).FindSubmatch(block[1])
	if hashes != nil {
		for _, m := range regexp.MustCompile(`"([^"]+)"`).FindAllSubmatch(hashes[1], -1) {
			l.hashes = append(l.hashes, string(m[1]))
		}
	}
	return l
}

// h1Hash is Terraform's h1: hash of a provider zip's contents (Go's
// dirhash Hash1): the SHA-256 of the lines "SHA256HEX  NAME\n" of its
// files in the order of their names, in base64.
func h1Hash(t *testing.T, zipped []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var lines []string
	for _, f := range files {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		_, err = io.Copy(h, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%x  %s\n", h.Sum(nil), f.Name))
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

// mustRun runs a command in dir with env added to the test's and returns
// its output, stdout then stderr; it fails the test unless it exits 0.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s (in %s): %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), dir, err, out.String(), errb.String())
	}
	return out.String() + errb.String()
}
