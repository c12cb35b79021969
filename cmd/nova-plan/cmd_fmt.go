package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/internal/regularfile"
)

// runFmt rewrites *.nova.hcl and *.nova.tfvars files in canonical layout.
// With -check it changes nothing and exits 3 if a file is not formatted, as
// terraform fmt -check does.
func runFmt(args []string, e *env) int {
	fs := newFlags("fmt", "[DIR or FILE…]", e)
	check := fs.Bool("check", false, "change nothing; exit 3 if any file is not formatted")
	list := fs.Bool("list", true, "print the names of files that are (or would be) changed")
	noColor := fs.Bool("no-color", false, "do not color the output")
	recursive := fs.Bool("recursive", false, "also format the files in subfolders (module folders), as terraform fmt -recursive does")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, *noColor)
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"."}
	}
	files, err := specFiles(targets, *recursive)
	if err != nil {
		return u.errorf("%v", err)
	}
	unformatted, failed := 0, false
	for _, name := range files {
		src, err := regularfile.Read(name, spec.MaxFileBytes)
		if err != nil {
			u.errorf("%s", readFailure(name, err))
			failed = true
			continue
		}
		out, diags := spec.Format(src, name)
		if diags.HasErrors() {
			u.files = map[string]*hcl.File{name: {Bytes: snippetSource(name, src)}}
			u.diagnostics(diags)
			failed = true
			continue
		}
		if bytes.Equal(src, out) {
			continue
		}
		unformatted++
		if *list {
			u.printf("%s\n", name)
		}
		if !*check {
			if err := writeFileKeepMode(name, out); err != nil {
				u.errorf("%v", err)
				failed = true
			}
		}
	}
	switch {
	case failed:
		return 1
	case *check && unformatted > 0:
		return 3
	}
	return 0
}

// specFiles lists the spec and variable files of targets: a file as it
// is, a folder's own files, and with recursive those of its subfolders too
// (hidden ones, such as .nova and .git, left out; symbolic links to
// folders not followed).
func specFiles(targets []string, recursive bool) ([]string, error) {
	var out []string
	for _, t := range targets {
		info, err := os.Stat(t)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, t)
			continue
		}
		files, err := folderSpecFiles(t, recursive)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	sort.Strings(out)
	return out, nil
}

// folderSpecFiles lists dir's files (dir itself may be a symbolic link),
// and with recursive those of the folders in it that are not hidden or
// links.
func folderSpecFiles(dir string, recursive bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, en := range entries {
		path := filepath.Join(dir, en.Name())
		switch {
		case en.IsDir() && recursive && !strings.HasPrefix(en.Name(), "."):
			sub, err := folderSpecFiles(path, true)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		case !en.IsDir() && isFormatted(en.Name()):
			out = append(out, path)
		}
	}
	return out, nil
}

// isFormatted reports whether fmt formats a file of this name.
func isFormatted(name string) bool {
	return strings.HasSuffix(name, spec.FileSuffix) || strings.HasSuffix(name, ".nova.tfvars")
}

// writeFileKeepMode replaces the file name with data, keeping its mode,
// through a temporary file and a rename. A symbolic link is written
// through: the file it names is replaced, and the link stays a link.
func writeFileKeepMode(name string, data []byte) error {
	target, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".nova-fmt-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// readFailure says why name could not be read, naming it once.
func readFailure(name string, err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("Cannot read %s: %v", name, pe.Err)
	}
	return "Cannot read " + name + ": " + strings.TrimPrefix(err.Error(), name+" ")
}

// snippetSource is what diagnostics may show of a file fmt could not read:
// a variable file's values may be secrets, and fmt does not know which, so
// they are masked.
func snippetSource(name string, src []byte) []byte {
	if strings.HasSuffix(name, spec.FileSuffix) {
		return src
	}
	return spec.MaskValues(src)
}
