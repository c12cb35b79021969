package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serveModulesRoot is a served root with two workspaces, mods and secret,
// each a copy of examples/modules; secret's module has an output that
// must never reach a token limited to mods.
func serveModulesRoot(t *testing.T) (root, example string) {
	t.Helper()
	root = t.TempDir()
	src := filepath.Join("..", "..", "examples", "modules")
	for _, ws := range []string{"mods", "secret"} {
		copySpecTree(t, src, filepath.Join(root, ws))
	}
	leak := "locals {\n  leak = \"TOPSECRET-41\"\n}\n\noutput \"leak\" {\n  value = local.leak\n}\n"
	if err := os.WriteFile(filepath.Join(root, "secret", "modules", "webtier", "leak.nova.hcl"), []byte(leak), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(src, "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	return root, string(data)
}

// postPlan posts files to a workspace's plans with a bearer token.
func postPlan(t *testing.T, url, token string, body any) (int, string) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", url, strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// TestServeUploadModules: an uploaded spec's modules are the workspace's
// own (source relative to its folder on the server), and a token limited
// to one workspace cannot reach another's modules through a source that
// leads out of its folder — by .., by a path relative to the server's
// temporary folder, or by a symlink inside the workspace.
func TestServeUploadModules(t *testing.T) {
	root, example := serveModulesRoot(t)
	token := strings.TrimSpace(nova(t, root, "serve", "token", "create", "ci", "-role", "operator", "-workspace", "mods").Must(t, 0, "token create").Stdout)
	if err := os.Symlink(filepath.Join(root, "secret", "modules", "webtier"), filepath.Join(root, "mods", "modules", "link")); err != nil {
		t.Fatal(err)
	}
	fromTemp, err := filepath.Rel(filepath.Join(os.TempDir(), "nova-serve-spec-1"), filepath.Join(root, "secret", "modules", "webtier"))
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, root)
	url := s.url + "/api/v1/workspaces/mods/plans"

	code, body := postPlan(t, url, token, map[string]any{"files": map[string]string{"main.nova.hcl": example}})
	if code != 201 || !strings.Contains(body, `module.web[\"prod\"].fleet.web[0]`) {
		t.Errorf("upload calling the workspace's own ./modules/webtier: %d\n%.2000s", code, body)
	}
	bad := strings.Replace(example, "cpu       = each.value.cpu", "cpu       = 0", 1)
	code, body = postPlan(t, url, token, map[string]any{"files": map[string]string{"main.nova.hcl": bad}})
	if code != 400 || !strings.Contains(body, `"filename":"modules/webtier/web.nova.hcl"`) || strings.Contains(body, root) {
		t.Errorf("an upload giving the workspace's module cpu = 0: %d, want 400 at modules/webtier/web.nova.hcl\n%.2000s", code, body)
	}
	for _, src := range []string{"../secret/modules/webtier", fromTemp, "./modules/link", "./modules/../../secret/modules/webtier"} {
		up := strings.Replace(example, `"./modules/webtier"`, `"`+src+`"`, 1) + "\noutput \"peek\" {\n  value = module.web[\"prod\"].leak\n}\n"
		code, body := postPlan(t, url, token, map[string]any{"files": map[string]string{"main.nova.hcl": up}})
		var doc struct {
			Error struct {
				Diagnostics []struct {
					Summary string
					Range   *struct {
						Filename     string
						Line, Column int
					}
				}
			}
		}
		json.Unmarshal([]byte(body), &doc)
		diags := doc.Error.Diagnostics
		ok := code == 400 && len(diags) == 1 && diags[0].Summary == "Module source outside the workspace" &&
			diags[0].Range != nil && diags[0].Range.Filename == "main.nova.hcl" && diags[0].Range.Line == 34
		if !ok {
			t.Errorf("source = %q: %d, want 400 with the diagnostic at source\n%.2000s", src, code, body)
		}
		if strings.Contains(body, "TOPSECRET") || strings.Contains(body, "nova-serve-spec") || strings.Contains(body, root) {
			t.Errorf("source = %q: the answer shows another workspace's value or a server path:\n%.2000s", src, body)
		}
	}
}

// TestServeModuleTargets: the API's targets take what -target takes,
// module addresses included, and plan only what is in the module.
func TestServeModuleTargets(t *testing.T) {
	root, _ := serveModulesRoot(t)
	token := strings.TrimSpace(nova(t, root, "serve", "token", "create", "ci", "-role", "operator", "-workspace", "mods").Must(t, 0, "token create").Stdout)
	s := startServe(t, root)
	url := s.url + "/api/v1/workspaces/mods/plans"
	for _, target := range []string{`module.web["prod"]`, `module.web`, `module.web["prod"].fleet.web`} {
		code, body := postPlan(t, url, token, map[string]any{"targets": []string{target}})
		var doc struct {
			Plan struct {
				Changes []struct{ Address string }
			}
		}
		json.Unmarshal([]byte(body), &doc)
		envs := map[string]bool{}
		for _, c := range doc.Plan.Changes {
			env, _, _ := strings.Cut(strings.TrimPrefix(c.Address, `module.web["`), `"]`)
			envs[env] = true
		}
		want := map[string]bool{"prod": true}
		if target == "module.web" {
			want = map[string]bool{"prod": true, "staging": true, "dev": true}
		}
		if code != 201 || len(envs) != len(want) || !envs["prod"] {
			t.Errorf("targets [%s]: %d, environments planned %v, want %v\n%.1500s", target, code, envs, want, body)
		}
	}
	if code, body := postPlan(t, url, token, map[string]any{"targets": []string{`module.web["prod"`}}); code != 400 {
		t.Errorf("a malformed module target: %d %s", code, body)
	}
}
