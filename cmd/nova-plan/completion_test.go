package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shell returns the path of a shell the completion tests run; it is
// missing only where scripts/release-tools-up.sh (make test) did not run.
func shell(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is missing: scripts/release-tools-up.sh installs it (make test runs it)", name)
	}
	return path
}

// completionScript writes `nova-plan completion SHELL` to a file.
func completionScript(t *testing.T, sh string) string {
	t.Helper()
	r := nova(t, t.TempDir(), "completion", sh).Must(t, 0, "completion "+sh)
	path := filepath.Join(t.TempDir(), "nova-plan."+sh)
	if err := os.WriteFile(path, []byte(r.Stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runShell(t *testing.T, sh string, args ...string) string {
	t.Helper()
	out, err := exec.Command(shell(t, sh), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", sh, args, err, out)
	}
	return string(out)
}

// TestCompletionBash sources the bash script, checks that it registers a
// completion for nova-plan, and completes command lines as bash would.
func TestCompletionBash(t *testing.T) {
	script := completionScript(t, "bash")
	out := runShell(t, "bash", "-c", `source "$1" || exit 1
complete -p nova-plan
compopt() { echo compopt "$@"; } # bash allows it only while completing
comp() {
  COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
  _nova_plan
  echo "$*|${COMPREPLY[*]}"
}
comp nova-plan st
comp nova-plan ver
comp nova-plan state ""
comp nova-plan state locks -
comp nova-plan -chdir = spec workspace s
comp nova-plan -chdir spec pl
comp nova-plan plan -o
comp nova-plan plan -out = ""
comp nova-plan apply -auto-approve ""
comp nova-plan completion ""
comp nova-plan nosuch -
comp nova-plan serve user ""
comp nova-plan serve user add -
comp nova-plan serve token c
comp nova-plan -chdir spec serve token create NAME -
comp nova-plan serve user role alice -role = ""
comp nova-plan serve token nosuch -
`, "bash", script)
	want := `complete -o default -F _nova_plan nova-plan
nova-plan st|state
nova-plan ver|version
nova-plan state |list locks migrate mv pull push rekey rm show
nova-plan state locks -|-backend-config= -json
nova-plan -chdir = spec workspace s|select show
nova-plan -chdir spec pl|plan
compopt -o nospace
nova-plan plan -o|-out=
nova-plan plan -out = |
nova-plan apply -auto-approve |-auto-approve -backend-config= -force-import -lock-timeout= -no-color -parallelism= -policy= -replace= -target= -var= -var-file=
nova-plan completion |bash fish zsh
nova-plan nosuch -|
nova-plan serve user |add disable enable list password remove role
nova-plan serve user add -|-role= -workspace=
nova-plan serve token c|create
nova-plan -chdir spec serve token create NAME -|-role= -ttl= -workspace=
nova-plan serve user role alice -role = |
nova-plan serve token nosuch -|
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("bash completions (-want +got):\n%s", diff)
	}
}

// TestCompletionZsh checks the zsh script's syntax with zsh, and runs the
// functions it defines (with compdef, which compinit defines, recorded).
func TestCompletionZsh(t *testing.T) {
	script := completionScript(t, "zsh")
	runShell(t, "zsh", "-n", script)
	out := runShell(t, "zsh", "-c", `compdef() { echo "compdef $*"; }
source "$1" || exit 1
_nova_plan_context -chdir=spec state
_nova_plan_words "$_np_cmd" "$_np_sub" | tr '\n' ' '; echo
_nova_plan_words version "" | tr '\n' ' '; echo
_nova_plan_words "" "" | grep -c .
_nova_plan_context serve -chdir=spec token
_nova_plan_words "$_np_cmd" "$_np_sub" "$_np_sub2" | tr '\n' ' '; echo
_nova_plan_context serve user add alice -r
_nova_plan_words "$_np_cmd" "$_np_sub" "$_np_sub2" | tr '\n' ' '; echo
`, "zsh", script)
	if want := "compdef _nova_plan nova-plan\nlist locks migrate mv pull push rekey rm show \n-json \n" +
		strconv.Itoa(len(commands)+len(globalFlags)) + "\n" +
		"create list revoke \n-role= -workspace= \n"; out != want {
		t.Errorf("zsh ran the script's functions and printed:\n%s\nwant:\n%s", out, want)
	}
}

// TestCompletionFish checks the fish script's syntax with fish and asks
// fish itself for the completions of command lines (complete -C).
func TestCompletionFish(t *testing.T) {
	script := completionScript(t, "fish")
	runShell(t, "fish", "-n", script)
	out := runShell(t, "fish", "-c", `source $argv[1]; or exit 1
for line in 'nova-plan sta' 'nova-plan state ' 'nova-plan workspace s' 'nova-plan version -' 'nova-plan -chdir spec serve t' \
    'nova-plan serve user ' 'nova-plan serve token create ci -' 'nova-plan serve user di'
  echo "$line|"(complete -C $line | string join ,)
end`, script)
	want := "nova-plan sta|state\tInspect or change the state: list, show, rm, mv, pull, push, locks\n" +
		"nova-plan state |list,locks,migrate,mv,pull,push,rekey,rm,show\n" +
		"nova-plan workspace s|select,show\n" +
		"nova-plan version -|-json\n" +
		"nova-plan -chdir spec serve t|token\n" +
		"nova-plan serve user |add,disable,enable,list,password,remove,role\n" +
		"nova-plan serve token create ci -|-role=,-ttl=,-workspace=\n" +
		"nova-plan serve user di|disable\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("fish completions (-want +got):\n%s", diff)
	}
}

// TestCompletionFlagsFromCommands: the scripts list the flags each command
// defines, read from the command itself (a flag added to a command is
// completed without a change to the completion code).
func TestCompletionFlagsFromCommands(t *testing.T) {
	table, err := completionTable()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range table {
		names = append(names, c.name)
	}
	var want []string
	for name := range commands {
		want = append(want, name)
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(want)), names); diff != "" {
		t.Errorf("completed commands (-want +got):\n%s", diff)
	}
	script := completionScript(t, "bash")
	for _, line := range []string{
		"    plan/*) printf '%s\\n' -backend-config= -destroy -detailed-exitcode -force-import -json -lock-timeout= -markdown -no-color -out= -parallelism= -policy= -replace= -target= -var= -var-file= ;;",
		"    state/rekey) printf '%s\\n' -backend-config= -decrypt -lock-timeout= ;;",
	} {
		data, _ := os.ReadFile(script)
		if !strings.Contains(string(data), line+"\n") {
			t.Errorf("the bash script has no line\n%s", line)
		}
	}
	r := nova(t, t.TempDir(), "completion", "tcsh")
	r.Must(t, 1, "completion tcsh")
	if !strings.Contains(r.Stderr, "it knows bash, zsh and fish") {
		t.Errorf("completion tcsh says:\n%s", r.Stderr)
	}
}

// TestVersionAndCompletionArguments: version refuses extra arguments (as
// validate does), and completion names the shells it knows when given
// one it does not.
func TestVersionAndCompletionArguments(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"version", "extra"}, {"version", "-json", "extra"}} {
		r := nova(t, dir, args...).Must(t, 1, strings.Join(args, " "))
		if !strings.Contains(r.Stderr, "version takes no arguments") || r.Stdout != "" {
			t.Errorf("%v: stdout %q, stderr %q; want only a refusal", args, r.Stdout, r.Stderr)
		}
	}
	r := nova(t, dir, "completion", "powershell").Must(t, 1, "completion powershell")
	if !strings.Contains(r.Stderr, `does not know the shell "powershell": it knows bash, zsh and fish`) {
		t.Errorf("completion powershell: stderr %q", r.Stderr)
	}
}
