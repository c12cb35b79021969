package estate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/internal/atomicfile"
)

// apiHeader opens the API file.
const apiHeader = "# Written by nova-plan serve: a vm block per VM created through the API\n" +
	"# (POST /api/v1/vms). The server rewrites this file; edit the other files.\n\n"

// apiEdit changes the API file's vm blocks; it returns an error the API
// shows (a *ConflictError, an *InvalidError).
type apiEdit func(body *hclwrite.Body) error

// apiJob is the run of an API file edit: once the run holds the
// workspace's state lock, edit is applied to the API file (so no CLI run
// and no other server interleaves), then a plan targeting vm.NAME is made
// and applied. The edit is checked first, without writing, so a request
// that cannot be made is refused at once.
func (e *Estate) apiJob(s *space, who, op, name string, edit apiEdit) (*job, error) {
	if _, _, err := e.editedAPI(s, name, edit); err != nil {
		return nil, err
	}
	return &job{space: s, who: who, op: op,
		edit: func() (func(), error) { return e.editAPI(s, name, edit) },
		prepare: func(ctx context.Context, sess *session) (*operation.Planned, error) {
			p, diags := sess.Plan(ctx, operation.PlanOptions{Targets: []string{"vm." + name}})
			if diags.HasErrors() {
				return nil, diagsError(diags, s.w.Dir)
			}
			return p, nil
		}}, nil
}

// editAPI applies edit to the API file, checks that the workspace's spec
// still loads with the result, and writes it atomically. It returns the
// function that puts back the vm block NAME as it was (for a run whose
// plan fails). The caller holds the workspace's state lock.
func (e *Estate) editAPI(s *space, name string, edit apiEdit) (func(), error) {
	content, old, err := e.editedAPI(s, name, edit)
	if err != nil {
		return nil, err
	}
	s.apiMu.Lock()
	defer s.apiMu.Unlock()
	if err := atomicfile.Write(filepath.Join(s.w.Dir, APISpecFile), content); err != nil {
		return nil, err
	}
	return func() { e.restoreAPI(s, name, old) }, nil
}

// editedAPI returns the API file as edit leaves it, checked, and the vm
// block NAME as it was (nil when there was none).
func (e *Estate) editedAPI(s *space, name string, edit apiEdit) (content, old []byte, err error) {
	s.apiMu.Lock()
	f, err := readAPIFile(s)
	s.apiMu.Unlock()
	if err != nil {
		return nil, nil, err
	}
	if b := vmBlock(f.Body(), name); b != nil {
		old = b.BuildTokens(nil).Bytes()
	}
	if err := edit(f.Body()); err != nil {
		return nil, nil, err
	}
	content = hclwrite.Format(f.Bytes())
	if err := e.checkAPIFile(s, content); err != nil {
		return nil, nil, err
	}
	return content, old, nil
}

// restoreAPI puts the vm block NAME back as old held it (none when old is
// nil), leaving the file's other blocks as they are now.
func (e *Estate) restoreAPI(s *space, name string, old []byte) {
	s.apiMu.Lock()
	defer s.apiMu.Unlock()
	f, err := readAPIFile(s)
	if err != nil {
		return
	}
	if b := vmBlock(f.Body(), name); b != nil {
		f.Body().RemoveBlock(b)
	}
	if old != nil {
		prev, diags := hclwrite.ParseConfig(old, APISpecFile, hcl.InitialPos)
		if diags.HasErrors() || len(prev.Body().Blocks()) == 0 {
			return
		}
		f.Body().AppendBlock(prev.Body().Blocks()[0])
	}
	_ = atomicfile.Write(filepath.Join(s.w.Dir, APISpecFile), hclwrite.Format(f.Bytes()))
}

// readAPIFile parses the API file; a new one has only the header.
func readAPIFile(s *space) (*hclwrite.File, error) {
	src, err := os.ReadFile(filepath.Join(s.w.Dir, APISpecFile))
	if errors.Is(err, fs.ErrNotExist) {
		f := hclwrite.NewEmptyFile()
		f.Body().AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(apiHeader)}})
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	f, diags := hclwrite.ParseConfig(src, APISpecFile, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("the API file %s does not parse: %s", APISpecFile, diagText(diags))
	}
	return f, nil
}

// vmBlock returns the vm block NAME of body, or nil.
func vmBlock(body *hclwrite.Body, name string) *hclwrite.Block {
	for _, b := range body.Blocks() {
		if l := b.Labels(); b.Type() == "vm" && len(l) == 1 && l[0] == name {
			return b
		}
	}
	return nil
}

// checkAPIFile loads the workspace's spec with content as the API file, in
// a temporary copy of its spec files: errors are an *InvalidError.
func (e *Estate) checkAPIFile(s *space, content []byte) error {
	files := map[string]string{APISpecFile: string(content)}
	names, _ := filepath.Glob(filepath.Join(s.w.Dir, "*"+spec.FileSuffix))
	for _, path := range names {
		if filepath.Base(path) == APISpecFile {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[filepath.Base(path)] = string(src)
	}
	dir, err := os.MkdirTemp("", "nova-serve-api-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			return err
		}
	}
	w := *s.w
	w.Dir = dir
	if _, diags := w.LoadSpec(workspace.SpecOptions{Env: e.env}); diags.HasErrors() {
		return diagsError(diags, dir)
	}
	return nil
}
