package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/rebalance"
)

// rebalanceFlags are rebalance's own flags.
type rebalanceFlags struct {
	utilization string
	threshold   float64
	maxMoves    maxMovesValue
	mode        string
	predict     bool
	horizon     int
	// source is the utilization file read, kept for the snippets of the
	// diagnostics that point into it after the spec's files are loaded.
	source map[string]*hcl.File
}

func (r *rebalanceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.utilization, "utilization", "", "read each VM's use from this JSON `file` (docs/scheduling.md) instead of the drivers")
	fs.Float64Var(&r.threshold, "threshold", rebalance.DefaultThreshold, "a host above this `percent` of its cpu or memory is hot")
	r.maxMoves = maxMovesValue{percent: rebalance.DefaultMovePercent}
	fs.Var(&r.maxMoves, "max-moves", "move at most `N` VMs, or N% of them")
	fs.StringVar(&r.mode, "mode", string(rebalance.Hot), "hot: clear hot hosts; consolidate: empty hosts to power them off")
	fs.BoolVar(&r.predict, "predict", false, "use each VM's forecast for the next hours (from the file's samples) instead of its use now")
	r.horizon = 4
	fs.Var(countValue{&r.horizon, 1, 168, "hours"}, "horizon", "with -predict, forecast the busiest of the next `N` hours")
}

func (r *rebalanceFlags) check() error {
	switch {
	case r.mode != string(rebalance.Hot) && r.mode != string(rebalance.Consolidate):
		return fmt.Errorf("-mode %q: use hot or consolidate", r.mode)
	case !(r.threshold > 0 && r.threshold <= 100): // NaN too
		return fmt.Errorf("-threshold %g: give a percentage above 0 and at most 100", r.threshold)
	case r.predict && r.utilization == "":
		return fmt.Errorf("-predict forecasts from the samples of a -utilization file: give one")
	}
	return nil
}

// maxMovesValue is -max-moves: a count, or a percentage of the VMs.
type maxMovesValue struct {
	count   int
	percent float64
}

func (v *maxMovesValue) String() string {
	if v.count > 0 {
		return strconv.Itoa(v.count)
	}
	return strconv.FormatFloat(v.percent, 'g', -1, 64) + "%"
}

func (v *maxMovesValue) Set(s string) error {
	if p, ok := strings.CutSuffix(s, "%"); ok {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f <= 0 || f > 100 {
			return fmt.Errorf("a percentage must be above 0 and at most 100, such as 10%%")
		}
		v.count, v.percent = 0, f
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fmt.Errorf("give a whole number of moves from 1, or a percentage such as 10%%")
	}
	v.count = n
	return nil
}

func runRebalance(args []string, e *env) int {
	var pf planFlags
	var rf rebalanceFlags
	fs := newFlags("rebalance", "", e)
	pf.vars.register(fs)
	lockTimeoutFlag(fs, &pf.lockTimeout)
	pf.backend.register(fs)
	fs.BoolVar(&pf.noColor, "no-color", false, "do not color the output")
	pf.registerPolicy(fs)
	rf.register(fs)
	out := fs.String("out", "", "save the plan to this `file`, to apply it later with nova-plan apply FILE")
	asJSON := fs.Bool("json", false, "print the plan as JSON (docs/json-format.md)")
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 with no moves, 1 on error, 2 with moves")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, pf.noColor)
	if fs.NArg() > 0 {
		return u.errorf("rebalance takes no arguments; use -chdir=DIR to rebalance another folder")
	}
	if err := rf.check(); err != nil {
		return u.errorf("%v", err)
	}
	opts, ok := rebalanceOptions(u, &rf)
	if !ok {
		return 1
	}
	intr := interrupts(u)
	defer intr.done()
	sess := begin(intr.ctx, u, "rebalance", &pf, e, nil)
	if sess == nil {
		return 1
	}
	u.addFiles(rf.source) // begin set the spec's files: a use out of bounds points into this one
	defer closeSession(u, sess)
	policies, ok := loadPolicies(intr.ctx, u, pf.policies, sess)
	if !ok {
		return 1
	}
	var rep *rebalance.Report
	choose := func(in operation.RequestInput) ([]plan.VMRequest, hcl.Diagnostics) {
		rs, r, diags := rebalance.Requests(in.Input, in.Utilization, opts)
		rep = r
		return rs, diags
	}
	p, diags := sess.PlanRequests(intr.ctx, opts.File == nil, choose)
	if u.diagnostics(diags) {
		return 1
	}
	results, pdiags := evaluatePolicies(intr.ctx, policies, sess, p.Plan)
	if *asJSON {
		if err := writeRebalanceJSON(e.stdout, p.Plan, rep, opts); err != nil {
			return u.errorf("%v", err)
		}
	} else {
		renderRebalance(u, rep, opts)
		u.renderPlan(e.stdout, p.Plan)
	}
	if !u.reportPolicies(policies, results, pdiags, !*asJSON) {
		if *out != "" && !*asJSON {
			u.printf("\nThe plan was not saved: the policies refuse it.\n")
		}
		return 1
	}
	if *out != "" {
		if err := plan.WriteFile(*out, p.Plan); err != nil {
			return u.errorf("Cannot save the plan: %v", err)
		}
		if !*asJSON {
			u.printf("\nSaved the plan to: %s\n\nTo perform exactly these migrations, run:\n  nova-plan apply %s\n", *out, *out)
		}
	}
	if *detailed && !p.Empty() {
		return 2
	}
	return 0
}

// rebalanceOptions reads the -utilization file, if any, into the options.
func rebalanceOptions(u *ui, rf *rebalanceFlags) (rebalance.Options, bool) {
	o := rebalance.Options{Mode: rebalance.Mode(rf.mode), Threshold: rf.threshold, MaxMoves: rf.maxMoves.count,
		MovePercent: rf.maxMoves.percent, MinRatio: rebalance.DefaultMinRatio, Predict: rf.predict, Horizon: rf.horizon}
	if rf.utilization == "" {
		return o, true
	}
	src, err := readCapped(rf.utilization, rebalance.MaxUsageFileBytes)
	if err != nil {
		u.errorf("Cannot read the utilization file: %v", err)
		return o, false
	}
	rf.source = map[string]*hcl.File{rf.utilization: {Bytes: src}}
	u.addFiles(rf.source)
	f, diags := rebalance.DecodeUsage(rf.utilization, src)
	if u.diagnostics(diags) {
		return o, false
	}
	o.File = f
	return o, true
}

// readCapped reads the file at path, refusing one larger than limit bytes
// (by its size when it is a regular file, else once limit+1 bytes are read).
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := fmt.Sprintf("%d bytes", limit)
	if limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", limit>>20)
	}
	tooBig := fmt.Errorf("%s is larger than %s, the most a utilization file may hold", path, size)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return nil, tooBig
	}
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, tooBig
	}
	return src, nil
}

// renderRebalance prints, before the plan, the hot hosts, the moves
// against their lower bound, and the hosts left as they were and why.
func renderRebalance(u *ui, rep *rebalance.Report, o rebalance.Options) {
	if rep == nil {
		return
	}
	moves, bound := 0, 0
	for _, key := range slices.Sorted(maps.Keys(rep.Providers)) {
		r := rep.Providers[key]
		moves, bound = moves+len(r.Moves), bound+r.Bound
		for _, l := range r.Hot {
			u.printf("Hot host %s (%s): cpu %s %%, memory %s %% (threshold %g %%)\n", l.Host, key, rebalance.Percent(l.CPU), rebalance.Percent(l.Mem), o.Threshold)
		}
		for _, h := range r.Emptied {
			u.printf("Host %s (%s) is emptied: it can be powered off\n", h, key)
		}
		for _, s := range r.Skipped {
			u.printf("Host %s (%s) is left as it is: %s\n", s.Host, key, s.Reason)
		}
	}
	u.printf("Rebalance (%s): %d of at most %d moves; lower bound %d moves", o.Mode, moves, rep.Budget, bound)
	if o.Mode == rebalance.Hot && bound > 0 {
		u.printf(" (%.2f × the bound)", float64(moves)/float64(bound))
	}
	u.printf(".\n")
	if rep.Unmeasured > 0 {
		u.printf("%s had no utilization: counted as using all they are allocated.\n", plural(rep.Unmeasured, "VM"))
	}
	if rep.NoHistory > 0 {
		u.printf("Warning: -predict: %s had no samples in the file: their use now is taken instead of a forecast.\n", plural(rep.NoHistory, "VM"))
	}
	u.printf("\n")
}
