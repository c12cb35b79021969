package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/novacron/novacron/engine/spec"
)

// env is what a command runs in; tests give their own.
type env struct {
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	environ []string
	// chdir is -chdir as given, for commands a message tells the user to
	// run from where they are.
	chdir string
	// flagSink, when set, is given a command's flag set instead of its
	// usage on -help: `nova-plan completion` reads the flags so.
	flagSink func(*flag.FlagSet)
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
		"drift":        {"Report what changed on the VMs outside NovaCron since the last apply", runDrift},
		"import":       {"Adopt an existing VM into an address of the spec", runImport},
		"state":        {"Inspect or change the state: list, show, rm, mv, pull, push, locks", runState},
		"history":      {"Show the audit trail of what changed the state", runHistory},
		"graph":        {"Print the plan's order as a Graphviz graph", runGraph},
		"force-unlock": {"Release a stuck state lock", runForceUnlock},
		"version":      {"Print the version", runVersion},
		"rebalance":    {"Plan live migrations that clear hot hosts or empty hosts", runRebalance},
		"policy":       {"Run the Rego policies' own tests: policy test [DIR]", runPolicy},
		"workspace":    {"Manage workspaces: list, new, select, show, delete", runWorkspace},
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
	if flagGiven(fs, "chdir") && *chdir == "" {
		fmt.Fprintf(e.stderr, "\nError: Invalid -chdir\n\n-chdir is empty: give the folder to run the command in, such as -chdir=spec.\n")
		return 1
	}
	if *chdir != "" {
		if err := os.Chdir(*chdir); err != nil {
			fmt.Fprintf(e.stderr, "Error: -chdir: %v\n", err)
			return 1
		}
		e.chdir = *chdir
	}
	return cmd.run(rest[1:], e)
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
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
		if e.flagSink != nil {
			e.flagSink(fs)
			return
		}
		fmt.Fprintf(fs.Output(), "Usage: nova-plan %s [options] %s\n\n%s.\n\nOptions:\n", name, args, commands[strings.Fields(name)[0]].synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; it returns an exit code and false when the command
// should stop (bad flags: 1, -help: 0). A bad flag is one error that says
// what is wrong, not the whole usage; a flag written after the arguments,
// which Go's flag package would take for an argument, is refused with the
// command line that works.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	out := fs.Output()
	fs.SetOutput(io.Discard) // flag would print the error and the usage
	err := fs.Parse(args)
	fs.SetOutput(out)
	switch {
	case err == flag.ErrHelp:
		fs.Usage()
		return 0, false
	case err != nil:
		if refused := refusedSetting(fs); refused != nil {
			err = refused
		}
		fmt.Fprintf(out, "\nError: Invalid command-line flag\n\n%s\n\nRun `nova-plan %s -help` for the flags it takes.\n",
			printable(spec.Sentence(err.Error()), false), fs.Name())
		return 1, false
	}
	if i := misplacedFlag(fs); i >= 0 {
		fmt.Fprintf(out, "\nError: Flags must come before %s\n\n%s follows %s, so it would be read as an argument, not as a flag. Write the flags first:\n\n  %s\n",
			argumentWords(fs.Name()), printable(hideConnStr(fs.Arg(i)), false), printable(hideConnStr(fs.Arg(0)), false), printable(reordered(fs, args), false))
		return 1, false
	}
	return 0, true
}

// argumentWords names what a command's positional arguments are.
func argumentWords(command string) string {
	switch command {
	case "apply", "show", "graph":
		return "the plan file"
	case "import":
		return "the address and the id"
	case "state list", "state rm":
		return "the addresses"
	case "state show":
		return "the address"
	case "state mv":
		return "the addresses"
	case "state push":
		return "the file"
	case "force-unlock":
		return "the lock ID"
	case "workspace new", "workspace select", "workspace delete":
		return "the workspace's name"
	case "fmt":
		return "the files and folders"
	}
	return "the arguments"
}

// misplacedFlag returns the index among fs's arguments of the first one
// that names one of its flags, or -1.
func misplacedFlag(fs *flag.FlagSet) int {
	for i, a := range fs.Args() {
		if flagOf(fs, a) != nil {
			return i
		}
	}
	return -1
}

// flagOf returns the flag arg names (-name, --name, -name=value), or nil.
func flagOf(fs *flag.FlagSet, arg string) *flag.Flag {
	if len(arg) < 2 || arg[0] != '-' {
		return nil
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
	if name == "help" || name == "h" {
		return &flag.Flag{Name: name, Value: boolFlag{}}
	}
	return fs.Lookup(name)
}

type boolFlag struct{}

func (boolFlag) String() string   { return "" }
func (boolFlag) Set(string) error { return nil }
func (boolFlag) IsBoolFlag() bool { return true }

// reordered is the command line args with the flags given after the
// arguments moved before them (a flag that takes a value keeps the one
// after it).
func reordered(fs *flag.FlagSet, args []string) string {
	rest := fs.Args()
	var flags, positional []string
	for _, a := range args[:len(args)-len(rest)] {
		flags = append(flags, shellQuote(hideConnStr(a)))
	}
	for i := 0; i < len(rest); i++ {
		f := flagOf(fs, rest[i])
		if f == nil {
			positional = append(positional, shellQuote(hideConnStr(rest[i])))
			continue
		}
		flags = append(flags, shellQuote(hideConnStr(rest[i])))
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); (!ok || !b.IsBoolFlag()) && !strings.Contains(rest[i], "=") && i+1 < len(rest) {
			i++
			flags = append(flags, shellQuote(hideConnStr(rest[i])))
		}
	}
	return strings.Join(append(append([]string{"nova-plan", fs.Name()}, flags...), positional...), " ")
}

// shellQuote quotes s for a POSIX shell when it holds more than letters,
// digits and -_./=:,@%+.
func shellQuote(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,@%+", r)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
