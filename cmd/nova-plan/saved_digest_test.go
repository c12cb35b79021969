package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSavedPlanSensitiveDigest: a saved plan kept a sensitive variable as
// a salt and one SHA-256, quick to test guesses against. It is an argon2id
// digest now, and a plan file with the old form is refused: plan again.
func TestSavedPlanSensitiveDigest(t *testing.T) {
	dir := newDir(t, `
variable "image" {
  type      = string
  sensitive = true
}
provider "sim" "lab" {}
template "u" {
  sim { image = "u" }
}
vm "a" {
  template  = template.u
  cpu       = 1
  memory_gb = 1
}
`)
	nova(t, dir, "plan", "-var", "image=s3cret", "-out=p.plan").Must(t, 0, "plan -out")
	path := filepath.Join(dir, "p.plan")
	digest := planVariable(t, path, "image")
	if !strings.HasPrefix(digest, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("sensitive_digest %q is not an argon2id digest", digest)
	}
	salt := []byte("0123456789abcdef")
	sum := sha256.Sum256(append(salt, `"s3cret"`...))
	setPlanVariable(t, path, "image", hex.EncodeToString(salt)+":"+hex.EncodeToString(sum[:]))
	r := nova(t, dir, "apply", "-var", "image=s3cret", "p.plan").Must(t, 1, "apply of a plan with the old digest")
	mustSay(t, r.Stderr, "var.image", "run plan again")
}

// planVariable returns the sensitive_digest of a variable in a plan file.
func planVariable(t *testing.T, path, name string) string {
	t.Helper()
	_, body := readPlanFile(t, path)
	vars := body["variables"].(map[string]any)
	return vars[name].(map[string]any)["sensitive_digest"].(string)
}

// setPlanVariable rewrites a variable's digest, with a checksum to match.
func setPlanVariable(t *testing.T, path, name, digest string) {
	t.Helper()
	env, body := readPlanFile(t, path)
	body["variables"].(map[string]any)[name].(map[string]any)["sensitive_digest"] = digest
	plan, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(plan)
	env["plan"], env["checksum"] = json.RawMessage(plan), hex.EncodeToString(sum[:])
	data, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readPlanFile(t *testing.T, path string) (env map[string]any, body map[string]any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Plan json.RawMessage `json:"plan"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw.Plan, &body); err != nil {
		t.Fatal(err)
	}
	return env, body
}
