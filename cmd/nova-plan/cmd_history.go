package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// runHistory prints the audit trail, oldest first.
func runHistory(args []string, e *env) int {
	fs := newFlags("history", "", e)
	bf := backendFlags{noDocuments: true} // reads no state document: no key needed
	bf.register(fs)
	var f workspace.HistoryFilter
	now := time.Now()
	fs.Var(timeValue{&f.Since, now}, "since", "only records at or after `TIME`: RFC 3339 (2025-06-01T12:00:00Z) or a duration ago (24h)")
	fs.Var(timeValue{&f.Until, now}, "until", "only records at or before `TIME`: RFC 3339 or a duration ago")
	fs.Var(addressValue{&f.Address}, "address", "only records of this VM, or of every VM of this fleet or module (`ADDRESS`)")
	fs.StringVar(&f.RunID, "run", "", "only records of the run with this `ID`")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, *asJSON)
	if fs.NArg() > 0 {
		return u.errorf("history takes no arguments: use -address=ADDRESS to show one VM's records")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return u.errorf("-until (%s) is before -since (%s): no record can be in between", f.Until.Format(time.RFC3339), f.Since.Format(time.RFC3339))
	}
	ws := openWorkspace(context.Background(), u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	recs, err := ws.History(context.Background(), f)
	if err != nil {
		return u.stateError("Cannot read the history", err)
	}
	if *asJSON {
		return exitOn(u, writeJSON(e.stdout, historyDoc(recs)))
	}
	return exitOn(u, writeHistoryText(e.stdout, recs))
}

// timeValue is a flag holding a time: RFC 3339, or a duration before now.
type timeValue struct {
	t   *time.Time
	now time.Time
}

func (v timeValue) String() string {
	if v.t == nil || v.t.IsZero() {
		return ""
	}
	return v.t.Format(time.RFC3339)
}

func (v timeValue) Set(s string) error {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		*v.t = t
		return nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return fmt.Errorf("it must be a time in RFC 3339, such as 2025-06-01T12:00:00Z, or a duration ago, such as 24h or 30m")
	case d < 0:
		return fmt.Errorf("it must not be negative: a duration is how long ago")
	}
	*v.t = v.now.Add(-d)
	return nil
}

// addressValue is a flag holding a VM or fleet address, written in its
// canonical form.
type addressValue struct{ s *string }

func (v addressValue) String() string {
	if v.s == nil {
		return ""
	}
	return *v.s
}

func (v addressValue) Set(s string) error {
	t, err := addrs.ParseTarget(s) // a VM, a fleet, or a module: everything in it
	if err != nil {
		return err
	}
	*v.s = t.String()
	return nil
}

// writeHistoryText writes a line per record: time, who, operation,
// address, action, outcome, error; "-" for what a record leaves out.
func writeHistoryText(out io.Writer, recs []state.HistoryRecord) error {
	w := bufio.NewWriter(out)
	if len(recs) == 0 {
		fmt.Fprintln(w, "No history records.")
	}
	for _, r := range recs {
		fields := []string{
			r.Time.UTC().Format(time.RFC3339), dash(r.Who), dash(historyOperation(r)), dash(r.Address),
			dash(historyAction(r)), dash(string(r.Outcome)),
		}
		line := strings.Join(fields, "  ")
		if r.Error != "" {
			line += "  " + r.Error
		}
		fmt.Fprintln(w, printable(line, false))
	}
	return w.Flush()
}

// historyOperation names what a record reports: its operation, else its
// kind.
func historyOperation(r state.HistoryRecord) string {
	if r.Operation != "" {
		return r.Operation
	}
	return string(r.Kind)
}

// historyAction is a record's action; a run's start and end records,
// which have none, say start and end.
func historyAction(r state.HistoryRecord) string {
	if r.Action == "" && (r.Kind == state.RecordStart || r.Kind == state.RecordEnd) {
		return string(r.Kind)
	}
	return r.Action
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// jsonHistory is the document of history -json.
type jsonHistory struct {
	FormatVersion string                `json:"format_version"`
	Records       []state.HistoryRecord `json:"records"`
}

func historyDoc(recs []state.HistoryRecord) jsonHistory {
	if recs == nil {
		recs = []state.HistoryRecord{}
	}
	return jsonHistory{FormatVersion: JSONFormatVersion, Records: recs}
}
