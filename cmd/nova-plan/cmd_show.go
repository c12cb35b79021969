package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

func runShow(args []string, e *env) int {
	fs := newFlags("show", "[PLANFILE]", e)
	asJSON := fs.Bool("json", false, "print JSON (docs/json-format.md)")
	asMarkdown := fs.Bool("markdown", false, "print a saved plan as a Markdown summary, for a pull request comment")
	noColor := fs.Bool("no-color", false, "do not color the output")
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, *noColor)
	if fs.NArg() > 1 {
		return u.errorf("show takes at most one argument, a saved plan file")
	}
	if *asJSON && *asMarkdown {
		return u.errorf("-json and -markdown are two formats; give one")
	}
	if *asMarkdown && fs.NArg() == 0 {
		return u.errorf("show -markdown summarizes a saved plan: give its file, as in nova-plan show -markdown PLANFILE")
	}
	if fs.NArg() == 1 {
		p, err := plan.ReadFile(fs.Arg(0))
		if err != nil {
			return u.errorf("Cannot read the saved plan: %v", err)
		}
		if *asJSON {
			return exitOn(u, writePlanJSON(e.stdout, p))
		}
		if *asMarkdown {
			return exitOn(u, writePlanMarkdown(e.stdout, markdownInput{Plan: p}))
		}
		u.renderPlan(e.stdout, p)
		return 0
	}
	ws := openWorkspace(context.Background(), u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	st, err := ws.Store.Read(context.Background())
	if err != nil {
		return u.stateError("Cannot read the state", err)
	}
	if *asJSON {
		return exitOn(u, writeStateJSON(e.stdout, st))
	}
	if st == nil || len(st.VMs) == 0 {
		u.printf("The state is empty: this workspace manages no VMs yet.\n")
		return 0
	}
	for _, addr := range sortedAddresses(st) {
		u.printf("%s", stateText(addr, st.VMs[addr]))
	}
	return 0
}

// stateText renders one state record.
func stateText(addr string, vm *state.VM) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s:\nvm %s {\n", printable(addr, false), quoted(vm.Name))
	rows := [][2]string{
		{"id", quoted(vm.ID)}, {"provider", quoted(vm.Provider)},
		{"host", quoted(vm.Host)}, {"template", quoted(vm.Template)},
		{"cpu", fmt.Sprint(vm.CPU)}, {"memory_gb", formatGB(vm.MemoryMiB)},
		{"disk_gb", diskText(vm.DiskGB)}, {"power", quoted(vm.Power)},
		{"tags", formatTags(vm.Tags)},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "    %-9s = %s\n", r[0], r[1])
	}
	b.WriteString("}\n\n")
	return b.String()
}

func exitOn(u *ui, err error) int {
	if err != nil {
		return u.errorf("%v", err)
	}
	return 0
}

// formatValue renders an output value as HCL.
func formatValue(o spec.OutputValue) string {
	if o.Sensitive {
		return "(sensitive value)"
	}
	return string(hclwrite.TokensForValue(o.Value).Bytes())
}
