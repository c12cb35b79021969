package estate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/novacron/novacron/engine/spec"
)

// The bounds of an uploaded spec.
const (
	MaxUploadFiles = 50
	MaxUploadFile  = 1 << 20 // bytes per file
	MaxUploadTotal = 4 << 20 // bytes in all
)

// uploadDir writes an uploaded spec to a new temporary folder and returns
// it with the function that removes it; "" and a no-op without files. A
// name that is not a plain NAME.nova.hcl, or a spec over the bounds, is an
// *InvalidError.
func uploadDir(files map[string]string) (string, func(), error) {
	if len(files) == 0 {
		return "", func() {}, nil
	}
	if err := checkUpload(files); err != nil {
		return "", func() {}, err
	}
	dir, err := os.MkdirTemp("", "nova-serve-spec-")
	if err != nil {
		return "", func() {}, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			cleanup()
			return "", func() {}, err
		}
	}
	return dir, cleanup, nil
}

// checkUpload checks an uploaded spec's names and sizes.
func checkUpload(files map[string]string) error {
	if len(files) > MaxUploadFiles {
		return &InvalidError{Message: fmt.Sprintf("a spec upload has at most %d files, not %d", MaxUploadFiles, len(files))}
	}
	total := 0
	for name, content := range files {
		if !specFileName(name) {
			return &InvalidError{Message: fmt.Sprintf("%q is not a spec file name: give plain NAME%s names (letters, digits, _ and -), no folders", name, spec.FileSuffix)}
		}
		if len(content) > MaxUploadFile {
			return &InvalidError{Message: fmt.Sprintf("%s is larger than %d bytes", name, MaxUploadFile)}
		}
		total += len(content)
	}
	if total > MaxUploadTotal {
		return &InvalidError{Message: fmt.Sprintf("the spec upload is larger than %d bytes", MaxUploadTotal)}
	}
	return nil
}

// specFileName reports whether name is NAME.nova.hcl with a plain NAME.
func specFileName(name string) bool {
	base, ok := strings.CutSuffix(name, spec.FileSuffix)
	if !ok || base == "" || len(name) > 255 {
		return false
	}
	for _, c := range base {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// uploadEnv is the environment an uploaded spec is loaded with: the
// server's, without its variable values (spec.EnvPrefix). An upload could
// otherwise declare one of the server's variables without `sensitive` and
// show its value in the plan; an upload's variables come from the
// request only.
func uploadEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, spec.EnvPrefix) {
			out = append(out, kv)
		}
	}
	return out
}
