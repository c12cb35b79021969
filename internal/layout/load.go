package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
)

// pkg is a package as the checks see it.
type pkg struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	Imports      []string // direct, of the non-test files
	TestImports  []string
	XTestImports []string
	Module       *struct{ Path string }
	Standard     bool
}

// files returns the paths of the package's non-test Go files.
func (p *pkg) files() []string {
	out := make([]string, len(p.GoFiles))
	for i, f := range p.GoFiles {
		out[i] = filepath.Join(p.Dir, f)
	}
	return out
}

// tree is the module's packages and everything they import.
type tree struct {
	module string
	root   string          // the module's folder
	pkgs   map[string]*pkg // every package, by import path
	own    []*pkg          // the module's packages, in go list order
}

// load lists the packages matching patterns, in dir, with all their
// dependencies.
func load(dir string, patterns ...string) (*tree, error) {
	args := append([]string{"list", "-deps", "-json"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	modCmd := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.Dir}}")
	modCmd.Dir = dir
	mod, err := modCmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -m: %v", err)
	}
	path, root, _ := strings.Cut(string(bytes.TrimSpace(mod)), " ")
	t := &tree{module: path, root: root, pkgs: map[string]*pkg{}}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := &pkg{}
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list: %v", err)
		}
		t.pkgs[p.ImportPath] = p
		if p.Module != nil && p.Module.Path == t.module {
			t.own = append(t.own, p)
		}
	}
	return t, nil
}

// chain returns the shortest import path from one package to the first
// package for which match is true, or nil.
func (t *tree) chain(from string, match func(string) bool) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur != from && match(cur) {
			var path []string
			for p := cur; p != ""; p = prev[p] {
				path = append([]string{p}, path...)
			}
			return path
		}
		if p := t.pkgs[cur]; p != nil {
			for _, next := range p.Imports {
				if _, seen := prev[next]; !seen {
					prev[next] = cur
					queue = append(queue, next)
				}
			}
		}
	}
	return nil
}

// relFile is a file's path relative to the module's folder.
func (t *tree) relFile(path string) string {
	if rel, err := filepath.Rel(t.root, path); err == nil {
		return rel
	}
	return path
}
