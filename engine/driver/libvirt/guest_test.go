package libvirt

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The tests of scripts/build-test-guest.sh: it derives the modules the
// guest loads, and their order, from the kernel's own dependency data, and
// a module that cannot load fails the build with its name. Trees of other
// kernel builds are made from the installed kernel's: its modules.dep
// edited, or its modules compressed.

const guestScript = "../../../scripts/build-test-guest.sh"

// guestModules are the modules the guest needs; the script finds the rest.
var guestModules = []string{"virtio_pci", "virtio_blk", "virtio_balloon", "button", "evdev", "isofs"}

// guestKernel returns the kernel the test guest was built from and its
// modules folder, as the build's stamp records them.
func guestKernel(t *testing.T) (kernel, moddir string) {
	t.Helper()
	requireGuest(t)
	data, err := os.ReadFile(guestDir + "/stamp")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(data))
	if len(f) != 3 {
		t.Fatalf("the stamp of the test guest is %q; rebuild it with scripts/build-test-guest.sh", data)
	}
	return "/boot/vmlinuz-" + f[0], f[1]
}

// runScript runs the build script with the environment added.
func runScript(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(guestScript, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", guestScript, err)
	}
	return out.String(), errb.String(), 0
}

// modulesDep reads a modules.dep: module name → its file and the names of
// the modules it needs.
func modulesDep(t *testing.T, moddir string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moddir, "modules.dep"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for line := range strings.Lines(string(data)) {
		file, deps, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		entry := []string{file}
		for d := range strings.FieldsSeq(deps) {
			entry = append(entry, moduleName(d))
		}
		out[moduleName(file)] = entry
	}
	return out
}

// moduleName is a module's name from its file: virtio-rng.ko.xz → virtio_rng.
func moduleName(file string) string {
	n, _, _ := strings.Cut(filepath.Base(file), ".ko")
	return strings.ReplaceAll(n, "-", "_")
}

// loadOrder runs the script's --load-order and returns the module names.
func loadOrder(t *testing.T, env ...string) []string {
	t.Helper()
	out, errOut, code := runScript(t, env, "--load-order")
	if code != 0 {
		t.Fatalf("--load-order exited %d:\n%s", code, errOut)
	}
	var names []string
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) == 2 {
			names = append(names, f[0])
		}
	}
	return names
}

// TestGuestLoadOrder: for the installed kernel, every module the guest
// needs is loaded, and after each module its modules.dep names.
func TestGuestLoadOrder(t *testing.T) {
	_, moddir := guestKernel(t)
	dep := modulesDep(t, moddir)
	order := loadOrder(t)
	at := map[string]int{}
	for i, m := range order {
		at[m] = i
	}
	for _, m := range guestModules {
		if _, ok := at[m]; !ok && dep[m] != nil {
			t.Errorf("the load order %v lacks %s", order, m)
		}
	}
	for i, m := range order {
		for _, d := range dep[m][1:] {
			if j, ok := at[d]; !ok || j > i {
				t.Errorf("%s needs %s, which the order %v does not load before it", m, d, order)
			}
		}
	}
}

// editedTree makes a modules folder that shares the installed kernel's
// module files, with its modules.dep and modules.builtin rewritten by edit.
func editedTree(t *testing.T, moddir string, edit func(dep, builtin string) (string, string)) string {
	t.Helper()
	tree := t.TempDir()
	if err := os.Symlink(filepath.Join(moddir, "kernel"), filepath.Join(tree, "kernel")); err != nil {
		t.Fatal(err)
	}
	dep, _ := os.ReadFile(filepath.Join(moddir, "modules.dep"))
	builtin, _ := os.ReadFile(filepath.Join(moddir, "modules.builtin"))
	d, b := edit(string(dep), string(builtin))
	for name, data := range map[string]string{"modules.dep": d, "modules.builtin": b} {
		if err := os.WriteFile(filepath.Join(tree, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return tree
}

// dropLine removes the modules.dep line of a module.
func dropLine(dep, module string) (out, file string) {
	var b strings.Builder
	for line := range strings.Lines(dep) {
		f, _, _ := strings.Cut(line, ":")
		if moduleName(f) == module {
			file = f
			continue
		}
		b.WriteString(line)
	}
	return b.String(), file
}

// TestGuestLoadOrderOfOtherBuilds: a module built into the kernel needs no
// file; a module the kernel has neither as a file nor built in fails with
// its name.
func TestGuestLoadOrderOfOtherBuilds(t *testing.T) {
	_, moddir := guestKernel(t)
	builtin := editedTree(t, moddir, func(dep, builtin string) (string, string) {
		dep, file := dropLine(dep, "evdev")
		return dep, builtin + file + "\n"
	})
	for _, m := range loadOrder(t, "NOVACRON_GUEST_MODULES="+builtin) {
		if m == "evdev" {
			t.Errorf("evdev is built in, yet the order loads it")
		}
	}
	missing := editedTree(t, moddir, func(dep, builtin string) (string, string) {
		dep, _ = dropLine(dep, "isofs")
		return dep, builtin
	})
	_, errOut, code := runScript(t, []string{"NOVACRON_GUEST_MODULES=" + missing}, "--load-order")
	if want := "module isofs is neither in"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("a kernel without isofs: exit %d, stderr %q; want 1 and %q", code, errOut, want)
	}
}

// TestGuestBuildFromCompressedModules builds and boots the guest of the
// installed kernel with its modules compressed, as other builds ship them
// (xz, zstd and gzip in turn).
func TestGuestBuildFromCompressedModules(t *testing.T) {
	kernel, moddir := guestKernel(t)
	dep := modulesDep(t, moddir)
	tree := t.TempDir()
	tools := []string{"xz", "zstd", "gzip"}
	exts := map[string]string{"xz": ".xz", "zstd": ".zst", "gzip": ".gz"}
	order := loadOrder(t)
	compressed := func(m string) string { return dep[m][0] + exts[tools[slices.Index(order, m)%len(tools)]] }
	var lines strings.Builder
	for i, m := range order {
		tool := tools[i%len(tools)]
		file := compressed(m)
		dst := filepath.Join(tree, file)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := exec.Command(tool, "-c", filepath.Join(moddir, dep[m][0])).Output()
		if err != nil {
			t.Fatalf("compressing %s with %s (install it): %v", m, tool, err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		lines.WriteString(file + ":")
		for _, d := range dep[m][1:] {
			lines.WriteString(" " + compressed(d))
		}
		lines.WriteString("\n")
	}
	if err := os.WriteFile(filepath.Join(tree, "modules.dep"), []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	_, errOut, code := runScript(t, []string{"NOVACRON_GUEST_KERNEL=" + kernel, "NOVACRON_GUEST_MODULES=" + tree}, out)
	if code != 0 {
		t.Fatalf("building from compressed modules: exit %d:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "initrd.img")); err != nil {
		t.Errorf("the build made no initrd: %v", err)
	}
}

// TestGuestBuildNamesModuleThatDoesNotLoad: with dependency data that has
// the first module the guest needs load before what it needs (as the fixed
// list the script once had loaded virtio before virtio_ring), the guest's
// self-test boot fails the build and names the module.
func TestGuestBuildNamesModuleThatDoesNotLoad(t *testing.T) {
	kernel, moddir := guestKernel(t)
	dep := modulesDep(t, moddir)
	first := ""
	for _, m := range guestModules {
		if first == "" && len(dep[m]) > 1 {
			first = m
		}
	}
	if first == "" {
		t.Fatalf("none of %v needs another module in %s/modules.dep", guestModules, moddir)
	}
	tree := editedTree(t, moddir, func(deps, builtin string) (string, string) {
		var b strings.Builder
		for line := range strings.Lines(deps) {
			if f, _, _ := strings.Cut(line, ":"); moduleName(f) == first {
				line = f + ":\n"
			}
			b.WriteString(line)
		}
		return b.String(), builtin
	})
	out := t.TempDir()
	_, errOut, code := runScript(t, []string{"NOVACRON_GUEST_KERNEL=" + kernel, "NOVACRON_GUEST_MODULES=" + tree}, out)
	if want := "module " + first + " did not load"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, errOut, want)
	}
	if _, err := os.Stat(filepath.Join(out, "initrd.img")); err == nil {
		t.Error("the failed build installed its initrd")
	}
}
