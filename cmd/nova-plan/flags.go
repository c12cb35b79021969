package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// varFlags collects -var and -var-file in command-line order: later values
// win, as in Terraform.
type varFlags struct{ args []spec.VarArg }

type varValue struct{ v *varFlags }
type varFileValue struct{ v *varFlags }

func (f varValue) String() string     { return "" }
func (f varFileValue) String() string { return "" }

func (f varValue) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("-var needs NAME=VALUE, got %q", s)
	}
	f.v.args = append(f.v.args, spec.VarArg{Name: strings.TrimSpace(name), Value: val})
	return nil
}

func (f varFileValue) Set(s string) error {
	f.v.args = append(f.v.args, spec.VarArg{File: s})
	return nil
}

func (v *varFlags) register(fs *flag.FlagSet) {
	fs.Var(varValue{v}, "var", "set a variable: -var 'NAME=VALUE' (repeatable)")
	fs.Var(varFileValue{v}, "var-file", "read variables from a .nova.tfvars file (repeatable)")
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// planFlags are the flags shared by plan, apply and destroy.
type planFlags struct {
	vars        varFlags
	targets     listFlag
	replace     listFlag
	parallelism int
	lockTimeout time.Duration
	noColor     bool
	forceImport bool
	backend     backendFlags
	policies    listFlag
}

func (p *planFlags) register(fs *flag.FlagSet, withReplace bool) {
	p.vars.register(fs)
	fs.Var(&p.targets, "target", "limit the plan to this address and what it depends on (repeatable)")
	if withReplace {
		fs.Var(&p.replace, "replace", "replace this VM even if it is unchanged (repeatable)")
		fs.BoolVar(&p.forceImport, "force-import", false, "let import blocks take over VMs that carry another workspace's ownership marker")
	}
	p.parallelism = 10
	fs.Var(countValue{&p.parallelism, 1, maxParallelism, "the most actions run at once"}, "parallelism",
		fmt.Sprintf("run at most `N` actions at once, 1 to %d", maxParallelism))
	lockTimeoutFlag(fs, &p.lockTimeout)
	p.backend.register(fs)
	fs.BoolVar(&p.noColor, "no-color", false, "do not color the output")
}

// registerPolicy adds -policy, for the commands that check plans against
// policies (plan, apply, destroy).
func (p *planFlags) registerPolicy(fs *flag.FlagSet) {
	fs.Var(policyFlag{&p.policies}, "policy", "check the plan against the Rego policies in this `folder` (repeatable; besides the spec's policy setting)")
}

// policyFlag is -policy: a repeatable folder, never empty.
type policyFlag struct{ l *listFlag }

func (f policyFlag) String() string { return "" }

func (f policyFlag) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("-policy is empty: give the folder of .rego files, such as -policy=policy")
	}
	return f.l.Set(s)
}

// check writes the -target and -replace addresses in their canonical form
// (the flags' values refuse numbers out of range as they are parsed).
func (p *planFlags) check() error {
	targets, err := canonicalAddresses("-target", p.targets)
	if err != nil {
		return err
	}
	replace, err := canonicalAddresses("-replace", p.replace)
	if err != nil {
		return err
	}
	p.targets, p.replace = targets, replace
	return nil
}

// canonicalAddresses reads addresses given on the command line and
// returns them as plans and state hold them; what names where they were
// given, for the error.
func canonicalAddresses(what string, in []string) ([]string, error) {
	if len(in) == 0 {
		return in, nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		var a fmt.Stringer
		var err error
		if what == "-target" || what == "state list" || what == "state rm" { // a module address selects everything in it
			a, err = addrs.ParseTarget(s)
		} else {
			a, err = addrs.ParseInstance(s)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", what, err)
		}
		out[i] = a.String()
	}
	return out, nil
}

func (p *planFlags) planOptions(destroy bool) workspace.PlanOptions {
	return workspace.PlanOptions{Destroy: destroy, Targets: p.targets, Replace: p.replace, ForceImport: p.forceImport}
}
