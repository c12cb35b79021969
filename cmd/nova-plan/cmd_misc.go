package main

import (
	"bufio"
	"context"
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// Version is set at build time with -ldflags "-X main.Version=…"; a
// release (goreleaser, .goreleaser.yml) also stamps Commit, the full hash
// of the commit built, and Date, that commit's date (RFC 3339).
var (
	Version = devVersion
	Commit  = ""
	Date    = ""
)

// devVersion is the version of a build that was not given one.
const devVersion = "0.1.0-dev"

// version is Version or, in a build not given one, the module's version
// Go recorded (`go install …/cmd/nova-plan@v0.2.0` records v0.2.0; a
// pseudo-version, which a checkout's build gets, is not a version).
func version() string {
	module := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		module = bi.Main.Version
	}
	return versionOf(Version, module)
}

// versionOf is stamped, or module's version when stamped is devVersion and
// module is a release's version (not a pseudo-version, not "(devel)").
func versionOf(stamped, module string) string {
	// A module version, but not a pseudo-version (one made up of a
	// commit's time and hash: v0.0.0-20261206150211-3f1c2a9b7d4e).
	// Compiled here, not at start-up: only the version command asks.
	release := regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
	pseudo := regexp.MustCompile(`\d{14}-[0-9a-f]{12}$`)
	if stamped == devVersion && release.MatchString(module) && !pseudo.MatchString(module) {
		return strings.TrimPrefix(module, "v")
	}
	return stamped
}

func runVersion(args []string, e *env) int {
	fs := newFlags("version", "", e)
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return newUI(e, *asJSON).errorf("version takes no arguments (nova-plan version, or version -json)")
	}
	if *asJSON {
		return exitOn(newUI(e, true), writeJSON(e.stdout, map[string]string{
			"format_version": JSONFormatVersion, "version": version(), "commit": Commit, "date": Date,
			"go": runtime.Version(), "platform": runtime.GOOS + "_" + runtime.GOARCH,
		}))
	}
	fmt.Fprintf(e.stdout, "nova-plan v%s\non %s_%s, built with %s\n", version(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if Commit != "" || Date != "" {
		fmt.Fprintf(e.stdout, "from commit %s of %s\n", orUnknown(Commit), orUnknown(Date))
	}
	return 0
}

// orUnknown is s, or "(unknown)" when s is empty.
func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func runValidate(args []string, e *env) int {
	var vars varFlags
	fs := newFlags("validate", "", e)
	vars.register(fs)
	noColor := fs.Bool("no-color", false, "do not color the output")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, *noColor)
	if fs.NArg() > 0 {
		return u.errorf("validate takes no arguments; use -chdir=DIR to validate another folder")
	}
	ws := workspace.New(".", catalog.Default()) // validate reads no state
	_, diags := ws.LoadSpec(workspace.SpecOptions{Vars: vars.args, Env: e.environ})
	u.files = ws.Loader.Files()
	if u.diagnostics(diags) {
		return 1
	}
	u.printf("%s The spec is valid.\n", u.paint(bold+green, "Success!"))
	return 0
}

func runGraph(args []string, e *env) int {
	var pf planFlags
	fs := newFlags("graph", "[PLANFILE]", e)
	pf.register(fs, true)
	destroy := fs.Bool("destroy", false, "graph a destroy plan")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, pf.noColor)
	if err := pf.check(); err != nil {
		return u.errorf("%v", err)
	}
	var p *operation.Planned
	if fs.NArg() == 1 {
		saved, err := plan.ReadFile(fs.Arg(0))
		if err != nil {
			return u.errorf("Cannot read the saved plan: %v", err)
		}
		var diags hcl.Diagnostics
		if p, diags = operation.Order(saved); u.diagnostics(diags) {
			return 1
		}
	} else {
		intr := interrupts(u)
		defer intr.done()
		ctx := intr.ctx
		sess := begin(ctx, u, "graph", &pf, e, nil)
		if sess == nil {
			return 1
		}
		defer closeSession(u, sess)
		pl, ds := sess.Plan(ctx, pf.planOptions(*destroy))
		if u.diagnostics(ds) {
			return 1
		}
		p = pl
	}
	fmt.Fprint(e.stdout, p.Graph().DOT())
	return 0
}

func runForceUnlock(args []string, e *env) int {
	fs := newFlags("force-unlock", "LOCK_ID", e)
	force := fs.Bool("force", false, "do not ask for confirmation")
	bf := backendFlags{noDocuments: true} // reads no state document: no key needed
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() != 1 {
		return u.errorf("force-unlock needs the lock ID, as printed in the lock error")
	}
	if !*force {
		u.printf("Release the state lock %s? A holder that died has freed it already: only do this if its holder is alive but stuck, since two applies at once can create VMs twice.\n  Only 'yes' will be accepted.\n\n  Enter a value: ", fs.Arg(0))
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if strings.TrimSpace(line) != "yes" {
			u.printf("\nForce-unlock cancelled.\n")
			return 1
		}
	}
	ws := openWorkspace(context.Background(), u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	if err := ws.Store.ForceUnlock(fs.Arg(0)); err != nil {
		return u.stateError("Cannot unlock", elsewhere(ws, fs.Arg(0), err))
	}
	u.printf("The state lock %s was released.\n", fs.Arg(0))
	return 0
}

// elsewhere adds to a force-unlock error of the selected workspace the
// workspace that does hold lock id, if another one does.
func elsewhere(ws *workspace.Workspace, id string, err error) error {
	locks, lerr := ws.Locks(context.Background())
	if lerr != nil {
		return err
	}
	for _, l := range locks {
		if l.ID == id && l.Workspace != ws.Name {
			return fmt.Errorf("%s in workspace %q, the selected one; workspace %q holds lock %s: run `%s`",
				workspace.Message(err), ws.Name, l.Workspace, id, state.ForceUnlockCommand(l))
		}
	}
	return err
}
