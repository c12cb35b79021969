package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// env is what a command runs in; tests give their own.
type env struct {
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	environ []string
}

// command is one subcommand.
type command struct {
	synopsis string
	run      func(args []string, e *env) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"validate":     {"Check that the spec is valid", runValidate},
		"fmt":          {"Rewrite spec files in the canonical format", runFmt},
		"plan":         {"Show the changes that would make the VMs match the spec", runPlan},
		"apply":        {"Make the VMs match the spec (or apply a saved plan)", runApply},
		"destroy":      {"Delete every VM the workspace manages", runDestroy},
		"show":         {"Show a saved plan or the state", runShow},
		"inventory":    {"List the live VMs of every provider", runInventory},
		"import":       {"Adopt an existing VM into an address of the spec", runImport},
		"state":        {"Inspect or change the state: list, show, rm", runState},
		"graph":        {"Print the plan's order as a Graphviz graph", runGraph},
		"force-unlock": {"Release a stuck state lock", runForceUnlock},
		"version":      {"Print the version", runVersion},
	}
}

// run parses global flags (-chdir, -help, -version) and runs a command.
func run(args []string, e *env) int {
	fs := flag.NewFlagSet("nova-plan", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	chdir := fs.String("chdir", "", "switch to this folder before running the command")
	help := fs.Bool("help", false, "show help")
	version := fs.Bool("version", false, "show the version")
	fs.Usage = func() { usage(e.stderr) }
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if *version {
		return runVersion(nil, e)
	}
	rest := fs.Args()
	if *help || len(rest) == 0 {
		usage(e.stdout)
		if *help {
			return 0
		}
		return 1
	}
	cmd, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "nova-plan: unknown command %q\n\n", rest[0])
		usage(e.stderr)
		return 1
	}
	if *chdir != "" {
		if err := os.Chdir(*chdir); err != nil {
			fmt.Fprintf(e.stderr, "Error: -chdir: %v\n", err)
			return 1
		}
	}
	return cmd.run(rest[1:], e)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: nova-plan [-chdir=DIR] <command> [options] [args]")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].synopsis)
	}
	fmt.Fprintln(w, "\nRun `nova-plan <command> -help` for a command's options.")
}

// newFlags returns a flag set for a command that prints its usage on -help.
func newFlags(name, args string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: nova-plan %s [options] %s\n\n%s.\n\nOptions:\n", name, args, commands[strings.Fields(name)[0]].synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; it returns an exit code and false when the command
// should stop (bad flags: 1, -help: 0).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0, false
		}
		return 1, false
	}
	return 0, true
}
