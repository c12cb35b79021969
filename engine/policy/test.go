package policy

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one test_ rule.
type TestResult struct {
	Name     string    // data.novacron.tags.test_big_vm_without_cost_center
	At       hcl.Range // the test rule
	Pass     bool
	Error    string // an evaluation error; "" when the test passed or failed
	Duration time.Duration
}

// RunTests runs the test_ rules of every .rego file of folders (policies
// and _test.rego files together, as `opa test` does), in file and line
// order. A policy that does not parse or compile is a diagnostic; the
// files read are returned for rendering diagnostics.
func RunTests(ctx context.Context, folders ...Folder) ([]TestResult, map[string]*hcl.File, hcl.Diagnostics) {
	srcs, diags := readFolders(folders)
	files := hclFiles(srcs)
	mods, ds := parse(srcs)
	if diags = append(diags, ds...); diags.HasErrors() {
		return nil, files, diags
	}
	if _, ds = compile(mods, srcs); ds.HasErrors() {
		return nil, files, append(diags, ds...)
	}
	results, err := runTests(ctx, mods)
	if err != nil {
		return nil, files, append(diags, regoDiagnostics("Cannot run the policy tests", err, srcs)...)
	}
	return testResults(results, srcs), files, diags
}

// runTests runs OPA's test runner and waits for every result.
func runTests(ctx context.Context, mods map[string]*ast.Module) ([]*tester.Result, error) {
	store := inmem.New()
	txn := storage.NewTransactionOrDie(ctx, store)
	defer store.Abort(ctx, txn)
	ch, err := tester.NewRunner().SetStore(store).SetModules(mods).SetDefaultRegoVersion(ast.RegoV1).RunTests(ctx, txn)
	if err != nil {
		return nil, err
	}
	var out []*tester.Result
	for r := range ch { // the runner closes ch when its last test is done
		out = append(out, r)
	}
	return out, nil
}

func testResults(rs []*tester.Result, srcs []source) []TestResult {
	out := make([]TestResult, 0, len(rs))
	for _, r := range rs {
		if r.Skip {
			continue
		}
		tr := TestResult{Name: r.Package + "." + r.Name, Pass: r.Pass(), Duration: r.Duration}
		if at := locationRange(r.Location, srcs); at != nil {
			tr.At = *at
		}
		if r.Error != nil {
			tr.Error = sentence(r.Error.Error())
		}
		out = append(out, tr)
	}
	slices.SortFunc(out, func(a, b TestResult) int {
		return cmp.Or(cmp.Compare(a.At.Filename, b.At.Filename), cmp.Compare(a.At.Start.Line, b.At.Start.Line), cmp.Compare(a.Name, b.Name))
	})
	return out
}
