package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

func init() {
	commands["completion"] = command{"Print a shell completion script: completion bash|zsh|fish", runCompletion}
}

// completionScripts write the completion script of each shell.
var completionScripts = map[string]func(w io.Writer, t []completed){
	"bash": writeBashCompletion,
	"zsh":  writeZshCompletion,
	"fish": writeFishCompletion,
}

// subcommandTables are the subcommands of the commands that have them,
// the tables their dispatchers run.
func subcommandTables() map[string]map[string]func([]string, *env) int {
	shells := map[string]func([]string, *env) int{}
	for name := range completionScripts {
		shells[name] = nil // an argument, not a command: no flags
	}
	return map[string]map[string]func([]string, *env) int{
		"state": stateCommands, "workspace": workspaceCommands, "policy": policyCommands,
		"serve": serveCommands, "completion": shells,
	}
}

// nestedTables are the subcommands of subcommands, by command and
// subcommand: serve user add, serve token create.
func nestedTables() map[string]map[string]map[string]func([]string, *env) int {
	return map[string]map[string]map[string]func([]string, *env) int{"serve": serveNested()}
}

// globalFlags are the flags before the command (see run).
var globalFlags = []string{"-chdir=", "-help", "-version"}

func runCompletion(args []string, e *env) int {
	fs := newFlags("completion", "bash|zsh|fish", e)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() == 1 && completionScripts[fs.Arg(0)] == nil {
		return u.errorf("completion does not know the shell %q: it knows bash, zsh and fish (nova-plan completion bash)", fs.Arg(0))
	}
	if fs.NArg() != 1 {
		return u.errorf("completion takes one argument, the shell: bash, zsh or fish (nova-plan completion bash)")
	}
	table, err := completionTable()
	if err != nil {
		return u.errorf("%v", err)
	}
	completionScripts[fs.Arg(0)](e.stdout, table)
	return 0
}

// completed is one command or subcommand as the completion scripts know
// it: its flags ("-json" for a bool flag, "-out=" for one that takes a
// value) and its subcommands, sorted by name, which may have subcommands
// of their own (serve user add).
type completed struct {
	name, synopsis string
	flags          []string
	subs           []completed
}

// completionTable reads every command's flags from the command itself:
// each runs with -help under an env whose flagSink receives its flag set.
func completionTable() ([]completed, error) {
	tables, nested := subcommandTables(), nestedTables()
	var out []completed
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		c := completed{name: name, synopsis: commands[name].synopsis}
		subs, hasSubs := tables[name]
		flags, ok := commandFlags(commands[name].run, []string{"-help"})
		if !ok && !hasSubs {
			return nil, fmt.Errorf("nova-plan %s -help showed no flag set: completion cannot list its flags", name)
		}
		c.flags = flags
		for _, sub := range slices.Sorted(maps.Keys(subs)) {
			s := completed{name: sub}
			if subs[sub] != nil {
				// A subcommand with subcommands of its own (serve user)
				// shows none: it completes no flags.
				s.flags, _ = commandFlags(subs[sub], []string{"-help"})
			}
			for _, sub2 := range slices.Sorted(maps.Keys(nested[name][sub])) {
				flags, ok := commandFlags(nested[name][sub][sub2], []string{"-help"})
				if !ok {
					return nil, fmt.Errorf("nova-plan %s %s %s -help showed no flag set: completion cannot list its flags", name, sub, sub2)
				}
				s.subs = append(s.subs, completed{name: sub2, flags: flags})
			}
			c.subs = append(c.subs, s)
		}
		out = append(out, c)
	}
	return out, nil
}

// commandFlags runs a command with args (-help) and returns the flags of
// the flag set it shows, and whether it showed one.
func commandFlags(run func([]string, *env) int, args []string) ([]string, bool) {
	var flags []string
	shown := false
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, flagSink: func(fs *flag.FlagSet) {
		// Called twice on -help (by flag's Parse, then by parse): the
		// last one counts.
		shown, flags = true, nil
		fs.VisitAll(func(f *flag.Flag) {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				flags = append(flags, "-"+f.Name)
			} else {
				flags = append(flags, "-"+f.Name+"=")
			}
		})
	}}
	run(args, e)
	return flags, shown
}

// writeWordsFunction writes the POSIX shell function every script shares
// (bash and zsh run it as it is): _nova_plan_words CMD SUB SUB2 prints
// the words that may come next after `nova-plan CMD SUB SUB2`, one a
// line, a command's as "word<TAB>synopsis".
func writeWordsFunction(w io.Writer, t []completed) {
	fmt.Fprintf(w, "_nova_plan_words() {\n  case \"$1/$2\" in\n")
	fmt.Fprintf(w, "    /) printf '%%s\\n'")
	for _, c := range t {
		fmt.Fprintf(w, " %s", shellQuote(c.name+"\t"+c.synopsis))
	}
	for _, f := range globalFlags {
		fmt.Fprintf(w, " %s", shellQuote(f))
	}
	fmt.Fprintf(w, " ;;\n")
	for _, c := range t {
		if len(c.subs) == 0 {
			fmt.Fprintf(w, "    %s/*)%s ;;\n", shellQuote(c.name), printWords(c.flags))
			continue
		}
		var names []string
		for _, s := range c.subs {
			names = append(names, s.name)
			writeSubWords(w, c.name, s)
		}
		fmt.Fprintf(w, "    %s/)%s ;;\n", shellQuote(c.name), printWords(append(names, c.flags...)))
	}
	fmt.Fprintf(w, "  esac\n}\n\n")
	// _nova_plan_context WORD…: sets the command and the subcommands
	// (two levels) among the words before the one completed (flags
	// skipped, -chdir's value too).
	fmt.Fprint(w, `_nova_plan_context() {
  _np_cmd= _np_sub= _np_sub2=
  while [ $# -gt 0 ]; do
    case $1 in
      # bash splits -chdir=DIR into -chdir, =, DIR.
      -chdir|--chdir) shift; [ "${1-}" = = ] && shift ;;
      =) shift ;;
      -*) ;;
      *) if [ -z "$_np_cmd" ]; then _np_cmd=$1; elif [ -z "$_np_sub" ]; then _np_sub=$1
         elif [ -z "$_np_sub2" ]; then _np_sub2=$1; fi ;;
    esac
    [ $# -gt 0 ] && shift
  done
}

`)
}

func writeBashCompletion(w io.Writer, t []completed) {
	fmt.Fprint(w, "# bash completion for nova-plan, written by `nova-plan completion bash`.\n")
	fmt.Fprint(w, "# Load it with: source <(nova-plan completion bash)\n\n")
	writeWordsFunction(w, t)
	fmt.Fprint(w, `_nova_plan() {
  local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\n' words
  # A flag's value (after -flag= or -chdir): files, by -o default.
  case $cur/${COMP_WORDS[COMP_CWORD-1]} in
    =/* | */= | */-chdir | */--chdir) return ;;
  esac
  _nova_plan_context "${COMP_WORDS[@]:1:COMP_CWORD-1}"
  words=$(_nova_plan_words "$_np_cmd" "$_np_sub" "$_np_sub2" | cut -f1)
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  if [ ${#COMPREPLY[@]} -eq 1 ] && [[ ${COMPREPLY[0]} == *= ]]; then
    compopt -o nospace
  fi
}
complete -o default -F _nova_plan nova-plan
`)
}

func writeZshCompletion(w io.Writer, t []completed) {
	fmt.Fprint(w, "#compdef nova-plan\n# zsh completion for nova-plan, written by `nova-plan completion zsh`.\n")
	fmt.Fprint(w, "# Load it with: source <(nova-plan completion zsh)  (after compinit), or save it\n")
	fmt.Fprint(w, "# as _nova-plan in a folder of $fpath.\n\n")
	writeWordsFunction(w, t)
	fmt.Fprint(w, `_nova_plan() {
  local -a described plain
  local line
  _nova_plan_context "${(@)words[2,CURRENT-1]}"
  for line in "${(@f)$(_nova_plan_words "$_np_cmd" "$_np_sub" "$_np_sub2")}"; do
    case $line in
      *=) compadd -S '' -- "$line" ;;
      *$'\t'*) described+=("${line%%$'\t'*}:${line#*$'\t'}") ;;
      *) plain+=("$line") ;;
    esac
  done
  (( ${#described} )) && _describe 'command' described
  (( ${#plain} )) && compadd -- "${plain[@]}"
  _files
}
if [ "$funcstack[1]" = _nova-plan ]; then
  _nova_plan "$@"
else
  compdef _nova_plan nova-plan
fi
`)
}

func writeFishCompletion(w io.Writer, t []completed) {
	fmt.Fprint(w, "# fish completion for nova-plan, written by `nova-plan completion fish`.\n")
	fmt.Fprint(w, "# Load it with: nova-plan completion fish | source, or save it as\n")
	fmt.Fprint(w, "# ~/.config/fish/completions/nova-plan.fish\n\n")
	fmt.Fprint(w, "function __nova_plan_words\n  set -l cmd\n  set -l sub\n  set -l sub2\n  set -l skip 0\n")
	fmt.Fprint(w, "  for word in (commandline -opc)[2..-1]\n")
	fmt.Fprint(w, "    if test $skip = 1\n      set skip 0\n    else if contains -- $word -chdir --chdir\n      set skip 1\n")
	fmt.Fprint(w, "    else if string match -q -- '-*' $word\n    else if test -z \"$cmd\"\n      set cmd $word\n")
	fmt.Fprint(w, "    else if test -z \"$sub\"\n      set sub $word\n")
	fmt.Fprint(w, "    else if test -z \"$sub2\"\n      set sub2 $word\n    end\n  end\n")
	fmt.Fprint(w, "  switch \"$cmd/$sub\"\n")
	io.WriteString(w, "    case /\n      printf '%s\\n'")
	for _, c := range t {
		fmt.Fprintf(w, " %s", fishQuote(c.name+"\t"+c.synopsis))
	}
	for _, f := range globalFlags {
		fmt.Fprintf(w, " %s", fishQuote(f))
	}
	fmt.Fprint(w, "\n")
	for _, c := range t {
		if len(c.subs) == 0 {
			// Its arguments may be files (plan files, fmt's files …).
			fmt.Fprintf(w, "    case %s\n      %s\n      __fish_complete_path (commandline -ct)\n", fishQuote(c.name+"/*"), fishPrint(c.flags))
			continue
		}
		var names []string
		for _, s := range c.subs {
			names = append(names, s.name)
			writeFishSubWords(w, c.name, s)
		}
		fmt.Fprintf(w, "    case %s\n      %s\n", fishQuote(c.name+"/"), fishPrint(append(names, c.flags...)))
	}
	fmt.Fprint(w, "  end\nend\n\ncomplete -c nova-plan -f -a '(__nova_plan_words)'\n")
}

// writeSubWords writes the sh case of a subcommand s of cmd: its flags,
// or, when it has subcommands (serve user), a case on the third word
// ($3): their flags, or their names and s's flags.
func writeSubWords(w io.Writer, cmd string, s completed) {
	if len(s.subs) == 0 {
		fmt.Fprintf(w, "    %s/%s)%s ;;\n", shellQuote(cmd), shellQuote(s.name), printWords(s.flags))
		return
	}
	fmt.Fprintf(w, "    %s/%s) case \"$3\" in\n", shellQuote(cmd), shellQuote(s.name))
	var names []string
	for _, s2 := range s.subs {
		names = append(names, s2.name)
		fmt.Fprintf(w, "      %s)%s ;;\n", shellQuote(s2.name), printWords(s2.flags))
	}
	fmt.Fprintf(w, "      '')%s ;;\n    esac ;;\n", printWords(append(names, s.flags...)))
}

// writeFishSubWords is writeSubWords for fish: a switch on sub2.
func writeFishSubWords(w io.Writer, cmd string, s completed) {
	fmt.Fprintf(w, "    case %s\n", fishQuote(cmd+"/"+s.name))
	if len(s.subs) == 0 {
		fmt.Fprintf(w, "      %s\n", fishPrint(s.flags))
		return
	}
	fmt.Fprint(w, "      switch \"$sub2\"\n")
	var names []string
	for _, s2 := range s.subs {
		names = append(names, s2.name)
		fmt.Fprintf(w, "        case %s\n          %s\n", fishQuote(s2.name), fishPrint(s2.flags))
	}
	fmt.Fprintf(w, "        case ''\n          %s\n      end\n", fishPrint(append(names, s.flags...)))
}

// printWords is the sh command printing words, one a line, preceded by a
// space; nothing when there are none.
func printWords(words []string) string {
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" printf '%s\\n'")
	for _, w := range words {
		b.WriteString(" " + shellQuote(w))
	}
	return b.String()
}

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

// fishPrint is the fish command printing words, one a line.
func fishPrint(words []string) string {
	if len(words) == 0 {
		return "true" // printf with no word would print an empty line
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = fishQuote(w)
	}
	return "printf '%s\\n' " + strings.Join(quoted, " ")
}
