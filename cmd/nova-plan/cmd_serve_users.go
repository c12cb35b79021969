package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/server/api"
	"github.com/novacron/novacron/server/auth"
)

// serveSubcommand runs serve's subcommands, `serve user …` and `serve
// token …`, which manage the users file of the folder served (the
// current one, or -chdir's). handled is false for anything else: serve
// then runs the server.
func serveSubcommand(args []string, e *env) (code int, handled bool) {
	if len(args) == 0 {
		return 0, false
	}
	if run, ok := serveCommands[args[0]]; ok {
		return run(args[1:], e), true
	}
	return 0, false
}

// serveCommands are serve's subcommands (`nova-plan completion` completes
// them).
var serveCommands = map[string]func(args []string, e *env) int{"user": runServeUser, "token": runServeToken}

// serveNested are the subcommands of serve's subcommands, for completion.
func serveNested() map[string]map[string]func([]string, *env) int {
	return map[string]map[string]func([]string, *env) int{"user": serveUserCommands, "token": serveTokenCommands}
}

// serveSubcommandsUsage lists serve's subcommands, for serve's usage.
const serveSubcommandsUsage = `Users and API tokens (in .nova/server/users.json of the folder served):
  serve user add NAME -role ROLE [-workspace WS]    Add a user; the password is read from stdin, or asked twice on a terminal
  serve user list                                   List the users and their roles
  serve user remove NAME                            Remove a user (their logins stop working at once)
  serve user role NAME -role ROLE [-workspace WS]   Set a user's role on a workspace (* for all); -role none takes it away
  serve user password NAME                          Set a user's password
  serve user disable NAME | enable NAME             Stop a user logging in (their logins stop working at once), or allow it again
  serve token create NAME -role ROLE [-workspace WS] [-ttl 720h]
                                                    Make an API token for CI; it is printed once, to stdout
  serve token list                                  List the API tokens
  serve token revoke NAME                           Delete an API token
ROLE is viewer, operator or admin; WS is a workspace's folder name, or * (the default) for every workspace.
`

// serveFlags is newFlags for a serve subcommand, whose usage says what
// the subcommand does (not what serve does).
func serveFlags(name, args, what string, e *env) *flag.FlagSet {
	fs := newFlags(name, args, e)
	fs.Usage = func() {
		if e.flagSink != nil {
			e.flagSink(fs)
			return
		}
		fmt.Fprintf(fs.Output(), "Usage: nova-plan %s %s [options]\n\n%s.\n", name, args, what)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(fs.Output(), "\nOptions:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// usersFile is the users file of the folder served.
func usersFile() string { return auth.UsersPath(".") }

func runServeUser(args []string, e *env) int {
	u := newUI(e, false)
	if len(args) == 0 {
		return u.errorf("serve user needs a subcommand: add, list, remove, role, password, disable or enable")
	}
	switch args[0] {
	case "-help", "--help", "-h", "--h":
		fmt.Fprint(e.stderr, "Usage: nova-plan serve user <subcommand> [NAME] [options]\n\n"+serveSubcommandsUsage)
		return 0
	}
	if run, ok := serveUserCommands[args[0]]; ok {
		return run(args[1:], e)
	}
	return u.errorf("unknown serve user subcommand %q: use add, list, remove, role, password, disable or enable", args[0])
}

// serveUserCommands are serve user's subcommands (`nova-plan completion`
// completes them and their flags).
var serveUserCommands = map[string]func(args []string, e *env) int{
	"add":  userAdd,
	"list": userList,
	"remove": func(args []string, e *env) int {
		return userChange("user remove", args, e, func(name string) error { return auth.RemoveUser(usersFile(), name) }, "Removed user %q.\n")
	},
	"disable": func(args []string, e *env) int {
		return userChange("user disable", args, e, func(name string) error { return auth.SetDisabled(usersFile(), name, true) }, "Disabled user %q: they cannot log in, and their logins stop working.\n")
	},
	"enable": func(args []string, e *env) int {
		return userChange("user enable", args, e, func(name string) error { return auth.SetDisabled(usersFile(), name, false) }, "Enabled user %q.\n")
	},
	"role":     userRole,
	"password": userPassword,
}

// parseNamed parses a subcommand's flags and its one NAME, which may come
// before the flags (serve user add NAME -role ROLE) or after them.
func parseNamed(fs *flag.FlagSet, args []string, e *env) (string, int, bool) {
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if code, ok := parse(fs, args); !ok {
		return "", code, false
	}
	rest := fs.Args()
	if name == "" && len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	u := newUI(e, false)
	switch {
	case name == "":
		return "", u.errorf("%s needs a name", fs.Name()), false
	case len(rest) > 0:
		return "", u.errorf("%s takes one name, not %d", fs.Name(), len(rest)+1), false
	}
	return name, 0, true
}

// serveSynopses say what the subcommands userChange runs do.
var serveSynopses = map[string]string{
	"user remove":  "Remove a user; their logins stop working at once",
	"user disable": "Stop a user logging in; their logins stop working at once",
	"user enable":  "Allow a disabled user to log in again",
	"token revoke": "Delete an API token; it stops working at once",
}

// roleFlags are -role and -workspace.
type roleFlags struct{ role, workspace string }

func (r *roleFlags) register(fs *flag.FlagSet, none bool) {
	help := "the role: viewer, operator or admin"
	if none {
		help += ", or none to take the role away"
	}
	fs.StringVar(&r.role, "role", "", help)
	fs.StringVar(&r.workspace, "workspace", auth.AllWorkspaces, "the workspace (folder name) the role is on; * for every workspace")
}

// parse returns the role (NoRole for none, when allowed).
func (r *roleFlags) parse(none bool) (auth.Role, error) {
	if err := auth.CheckWorkspace(r.workspace); err != nil {
		return 0, fmt.Errorf("-workspace: %v", err)
	}
	switch {
	case r.role == "":
		return 0, errors.New("-role is missing: give viewer, operator or admin")
	case r.role == "none" && none:
		return auth.NoRole, nil
	}
	role, err := auth.ParseRole(r.role)
	if err != nil {
		return 0, fmt.Errorf("-role: %v", err)
	}
	return role, nil
}

func userAdd(args []string, e *env) int {
	fs := serveFlags("serve user add", "NAME", "Add a user; the password is read from stdin, or asked twice on a terminal", e)
	var rf roleFlags
	rf.register(fs, false)
	name, code, ok := parseNamed(fs, args, e)
	if !ok {
		return code
	}
	u := newUI(e, false)
	role, err := rf.parse(false)
	rec := roleRecord(rf.workspace, role, err)
	if err == nil {
		err = auth.CheckName(name)
	}
	if err != nil {
		audit(e, "user add", name, rec, err)
		return u.errorf("%s", spec.Sentence(err.Error()))
	}
	password, err := readNewPassword(e, name)
	if err != nil {
		audit(e, "user add", name, rec, err)
		return usersError(u, "No password for the new user", err)
	}
	err = auth.AddUser(usersFile(), name, password, map[string]auth.Role{rf.workspace: role})
	audit(e, "user add", name, rec, err)
	if err != nil {
		return usersError(u, "Cannot add the user", err)
	}
	u.printf("Added user %q: %s.\n", name, rolesText(map[string]auth.Role{rf.workspace: role}))
	return 0
}

func userRole(args []string, e *env) int {
	fs := serveFlags("serve user role", "NAME", "Set a user's role on a workspace (* for all); -role none takes it away", e)
	var rf roleFlags
	rf.register(fs, true)
	name, code, ok := parseNamed(fs, args, e)
	if !ok {
		return code
	}
	u := newUI(e, false)
	role, err := rf.parse(true)
	rec := roleRecord(rf.workspace, role, err)
	if err != nil {
		audit(e, "user role", name, rec, err)
		return u.errorf("%s", spec.Sentence(err.Error()))
	}
	err = auth.SetRole(usersFile(), name, rf.workspace, role)
	audit(e, "user role", name, rec, err)
	if err != nil {
		return usersError(u, "Cannot change the user's role", err)
	}
	users, err := auth.ReadUsers(usersFile())
	if err != nil {
		return usersError(u, "Cannot read the users file", err)
	}
	u.printf("User %q: %s.\n", name, rolesText(users.User(name).Roles))
	return 0
}

func userPassword(args []string, e *env) int {
	fs := serveFlags("serve user password", "NAME", "Set a user's password, read from stdin or asked twice on a terminal", e)
	name, code, ok := parseNamed(fs, args, e)
	if !ok {
		return code
	}
	u := newUI(e, false)
	users, err := auth.ReadUsers(usersFile())
	if err != nil {
		audit(e, "user password", name, api.Record{}, err)
		return usersError(u, "Cannot read the users file", err)
	}
	if users.User(name) == nil {
		audit(e, "user password", name, api.Record{}, errors.New("no such user"))
		return u.errorf("There is no user called %q", name)
	}
	password, err := readNewPassword(e, name)
	if err != nil {
		audit(e, "user password", name, api.Record{}, err)
		return usersError(u, "No new password", err)
	}
	err = auth.SetPassword(usersFile(), name, password)
	audit(e, "user password", name, api.Record{}, err)
	if err != nil {
		return usersError(u, "Cannot set the password", err)
	}
	u.printf("Set the password of user %q.\n", name)
	return 0
}

// userChange runs a subcommand that takes a name and nothing else.
func userChange(sub string, args []string, e *env, change func(string) error, done string) int {
	fs := serveFlags("serve "+sub, "NAME", serveSynopses[sub], e)
	name, code, ok := parseNamed(fs, args, e)
	if !ok {
		return code
	}
	u := newUI(e, false)
	err := change(name)
	audit(e, sub, name, api.Record{}, err)
	if err != nil {
		return usersError(u, "Cannot run serve "+sub, err)
	}
	u.printf(done, name)
	return 0
}

func userList(args []string, e *env) int {
	fs := serveFlags("serve user list", "", "List the users and their roles", e)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() != 0 {
		return u.errorf("serve user list takes no arguments")
	}
	users, err := auth.ReadUsers(usersFile())
	if err != nil {
		return usersError(u, "Cannot read the users file", err)
	}
	tw := newTable(u)
	fmt.Fprintln(tw, "NAME\tROLES\tSTATUS")
	for _, us := range users.Users {
		status := "enabled"
		if us.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", us.Name, rolesText(us.Roles), status)
	}
	return flushed(u, tw)
}

func newTable(u *ui) *tabwriter.Writer { return tabwriter.NewWriter(u.out, 0, 4, 2, ' ', 0) }

func flushed(u *ui, tw *tabwriter.Writer) int {
	if err := tw.Flush(); err != nil {
		return u.errorf("%s", err)
	}
	return 0
}

// rolesText is "admin of every workspace, viewer of prod".
func rolesText(roles map[string]auth.Role) string {
	if len(roles) == 0 {
		return "no role"
	}
	var parts []string
	for ws, r := range roles {
		if ws == auth.AllWorkspaces {
			parts = append(parts, r.String()+" of every workspace")
		} else {
			parts = append(parts, r.String()+" of "+printable(ws, false))
		}
	}
	sort.Slice(parts, func(i, j int) bool {
		return strings.HasSuffix(parts[i], "every workspace") || (!strings.HasSuffix(parts[j], "every workspace") && parts[i] < parts[j])
	})
	return strings.Join(parts, ", ")
}

// audit appends a record of a change of users or tokens (the command
// sub, such as "user add", on target) to the server's audit log beside
// the users file, when there is one: a refused change in a folder that
// is not served makes nothing. err is the change's outcome. A record that
// cannot be written is a warning: the change is done.
func audit(e *env, sub, target string, rec api.Record, err error) {
	dir := filepath.Dir(usersFile())
	if _, serr := os.Stat(dir); serr != nil {
		return
	}
	rec.Who, rec.Client, rec.Method, rec.Route, rec.Target = workspace.Who(), "cli", "CLI", "serve "+sub, target
	rec.Outcome = "succeeded"
	if err != nil {
		rec.Outcome = "refused"
	}
	a, aerr := api.OpenAudit(filepath.Join(".", filepath.FromSlash(api.AuditFile)))
	if aerr == nil {
		aerr = errors.Join(a.Append(rec), a.Close())
	}
	if aerr != nil {
		fmt.Fprintf(e.stderr, "Warning: cannot append to the audit log: %s\n", printable(aerr.Error(), false))
	}
}

// roleRecord is an audit record naming the role given on ws, when it
// parsed (err nil).
func roleRecord(ws string, role auth.Role, err error) api.Record {
	if err != nil {
		return api.Record{Workspace: ws}
	}
	return api.Record{Workspace: ws, Role: role.String()}
}

// usersError prints an error about the users file, with what to do when
// there is none.
func usersError(u *ui, summary string, err error) int {
	detail := err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		detail = fmt.Sprintf("There is no users file (%s) in this folder: `nova-plan serve` makes one with an admin on its first start, and `nova-plan serve user add` makes one with its user. Run the command in the folder served, or give it with -chdir", usersFile())
	}
	u.diagnostics(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: spec.Sentence(printable(detail, false))}})
	return 1
}
