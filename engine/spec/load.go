package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/regularfile"
)

// FileSuffix is the suffix of spec files.
const FileSuffix = ".nova.hcl"

// Options are the inputs of Load besides the folder.
type Options struct {
	Registry *driver.Registry
	// Vars are -var and -var-file arguments in command-line order.
	Vars []VarArg
	// Env is the environment, for NOVA_VAR_name values (os.Environ()).
	Env []string
	// Values are values decided earlier (those a saved plan was made
	// with). They override the environment and are overridden by Vars.
	Values map[string]cty.Value
	// ModuleRoot, when set, confines modules (module_confine.go): the
	// root module's sources are relative to it instead of the spec's
	// folder, and every module folder, symlinks resolved, must be inside
	// it. nova-plan serve sets it to the workspace's folder for an
	// uploaded spec, which it writes to a temporary folder.
	ModuleRoot string
}

// VarArg is one -var NAME=VALUE (Name, Value) or -var-file (File).
type VarArg struct {
	Name  string
	Value string
	File  string
}

// Loader parses and decodes specs. Its parser keeps every file it read, so
// diagnostics can be printed with the offending line.
type Loader struct {
	parser *hclparse.Parser
	// masked holds, by name, the variable files whose sensitive values
	// diagnostics must not show, as Files returns them (varfile_mask.go).
	masked map[string]*hcl.File
}

// NewLoader returns a Loader with an empty file cache.
func NewLoader() *Loader { return &Loader{parser: hclparse.NewParser()} }

// Files returns the files read so far, by name, for diagnostic rendering.
// In a variable file, the values of sensitive variables are masked.
func (l *Loader) Files() map[string]*hcl.File {
	files := l.parser.Files()
	if len(l.masked) == 0 {
		return files
	}
	out := maps.Clone(files)
	maps.Copy(out, l.masked)
	return out
}

// Load reads every *.nova.hcl file in dir. The Spec is nil when there are
// errors.
func (l *Loader) Load(dir string, opts Options) (*Spec, hcl.Diagnostics) {
	files, diags := l.parseDir(dir)
	if diags.HasErrors() {
		return nil, diags
	}
	d := newDecoder(l, dir, opts)
	d.spec.Digest = digest(files)
	d.decode(files)
	hideSensitive(d.diags) // before: an unknown name's explanation quotes no value
	d.explainUnknownNames()
	diags = append(diags, d.diags...)
	if diags.HasErrors() {
		return nil, diags
	}
	return d.spec, diags
}

type parsedFile struct {
	name string
	file *hcl.File
}

func (l *Loader) parseDir(dir string) ([]parsedFile, hcl.Diagnostics) {
	names, diags := specFiles(dir)
	if diags.HasErrors() {
		return nil, diags
	}
	if len(names) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No spec files",
			Detail:   fmt.Sprintf("The folder %s has no *%s files.", dir, FileSuffix),
		}}
	}
	var out []parsedFile
	for _, path := range names {
		f, ds := l.parseFile(path)
		diags = append(diags, ds...)
		l.maskBackendSecrets(path, f, ds)
		if f != nil {
			out = append(out, parsedFile{name: path, file: f})
		}
	}
	return out, diags
}

// specFiles returns the paths of the spec files in dir, sorted.
func specFiles(dir string) ([]string, hcl.Diagnostics) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read the spec folder",
			Detail:   err.Error(),
		}}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), FileSuffix) {
			path := e.Name()
			if dir != "." && dir != "" {
				path = filepath.Join(dir, path)
			}
			names = append(names, path)
		}
	}
	sort.Strings(names)
	return names, nil
}

// MaxFileBytes is the largest spec or variable file read: 64 MiB, many
// times a spec of 100,000 vm blocks.
const MaxFileBytes = 64 << 20

// parseFile reads and parses one spec or variable file, refusing first
// what hcl cannot parse safely (see checkSource), and then makes its
// templates and for expressions count what they build (boundExpressions).
func (l *Loader) parseFile(path string) (*hcl.File, hcl.Diagnostics) {
	src, diags := readSpecFile(path)
	if diags.HasErrors() {
		return nil, diags
	}
	return l.parseSource(path, src)
}

// readSpecFile reads a spec or variable file, bounded.
func readSpecFile(path string) ([]byte, hcl.Diagnostics) {
	src, err := regularfile.Read(path, MaxFileBytes)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read a file",
			Detail:   readError(path, err),
		}}
	}
	return src, nil
}

// parseSource parses a file's text; see parseFile.
func (l *Loader) parseSource(path string, src []byte) (*hcl.File, hcl.Diagnostics) {
	if diags, text := checkSource(src, path, false); diags.HasErrors() {
		if text {
			l.parser.AddFile(path, &hcl.File{Bytes: src}) // for the snippet
		}
		return nil, diags
	}
	f, diags := l.parser.ParseHCL(src, path)
	if f != nil {
		boundExpressions(f)
	}
	return f, diags
}

// readError says why a file could not be read, naming it once.
func readError(path string, err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("Cannot read %s: %s.", path, pe.Err)
	}
	return Sentence(err.Error())
}

func digest(files []parsedFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(f.name), len(f.file.Bytes))
		h.Write(f.file.Bytes)
	}
	return hex.EncodeToString(h.Sum(nil))
}
