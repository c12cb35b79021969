package main

import (
	"os"
	"path/filepath"
	"testing"
)

// fmt writes through a symbolic link: the file it names is formatted and
// the link stays a link. It replaced the link with a formatted copy,
// leaving the real file unformatted.
func TestFmtWritesThroughSymlinks(t *testing.T) {
	root := t.TempDir()
	real, spec := filepath.Join(root, "shared"), filepath.Join(root, "spec")
	for _, d := range []string{real, spec} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(real, "web.nova.hcl")
	if err := os.WriteFile(target, []byte("locals {\n  a=1\n  bb = 2\n}\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(spec, "web.nova.hcl")
	if err := os.Symlink(filepath.Join("..", "shared", "web.nova.hcl"), link); err != nil {
		t.Fatal(err)
	}
	r := nova(t, spec, "fmt").Must(t, 0, "fmt")
	mustSay(t, r.Stdout, "web.nova.hcl")
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v, %v", info.Mode(), err)
	}
	got, _ := os.ReadFile(target)
	if want := "locals {\n  a  = 1\n  bb = 2\n}\n"; string(got) != want {
		t.Errorf("the linked file is %q; want it formatted, %q", got, want)
	}
	if info, _ := os.Stat(target); info.Mode().Perm() != 0o640 {
		t.Errorf("the linked file's mode is %v; want 0640 kept", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(real)
	if len(entries) != 1 {
		t.Errorf("fmt left files behind next to the target: %v", entries)
	}
	nova(t, spec, "fmt", "-check").Must(t, 0, "fmt -check after fmt")
}

// fmt -recursive formats the files of module folders too; without it only
// the folder's own files; hidden folders (.nova) are left alone.
func TestFmtRecursive(t *testing.T) {
	const messy, tidy = "locals {\n  a=1\n  bb = 2\n}\n", "locals {\n  a  = 1\n  bb = 2\n}\n"
	dir := t.TempDir()
	files := []string{"main.nova.hcl", "modules/web/main.nova.hcl", "modules/web/inner/db.nova.hcl", ".nova/x.nova.hcl"}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(messy), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	nova(t, dir, "fmt", "-check").Must(t, 3, "fmt -check of the root's unformatted file")
	r := nova(t, dir, "fmt").Must(t, 0, "fmt")
	if r.Stdout != "main.nova.hcl\n" {
		t.Errorf("fmt without -recursive changed %q; want only main.nova.hcl", r.Stdout)
	}
	nova(t, dir, "fmt", "-check").Must(t, 0, "fmt -check after fmt")
	nova(t, dir, "fmt", "-check", "-recursive").Must(t, 3, "fmt -check -recursive of the unformatted modules")
	r = nova(t, dir, "fmt", "-recursive").Must(t, 0, "fmt -recursive")
	if want := "modules/web/inner/db.nova.hcl\nmodules/web/main.nova.hcl\n"; r.Stdout != want {
		t.Errorf("fmt -recursive changed %q; want %q", r.Stdout, want)
	}
	for f, want := range map[string]string{files[1]: tidy, files[2]: tidy, files[3]: messy} {
		if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f))); string(got) != want {
			t.Errorf("%s is %q; want %q", f, got, want)
		}
	}
}
