package main

import (
	"fmt"
	"time"

	"github.com/novacron/novacron/server/auth"
)

func runServeToken(args []string, e *env) int {
	u := newUI(e, false)
	if len(args) == 0 {
		return u.errorf("serve token needs a subcommand: create, list or revoke")
	}
	switch args[0] {
	case "-help", "--help", "-h", "--h":
		fmt.Fprint(e.stderr, "Usage: nova-plan serve token <subcommand> [NAME] [options]\n\n"+serveSubcommandsUsage)
		return 0
	}
	if run, ok := serveTokenCommands[args[0]]; ok {
		return run(args[1:], e)
	}
	return u.errorf("unknown serve token subcommand %q: use create, list or revoke", args[0])
}

// serveTokenCommands are serve token's subcommands (`nova-plan
// completion` completes them and their flags).
var serveTokenCommands = map[string]func(args []string, e *env) int{
	"create": tokenCreate,
	"list":   tokenList,
	"revoke": func(args []string, e *env) int {
		return userChange("token revoke", args, e, func(name string) error { return auth.RevokeToken(usersFile(), name) },
			"Revoked API token %q: it no longer works.\n")
	},
}

func tokenCreate(args []string, e *env) int {
	fs := serveFlags("serve token create", "NAME", "Make an API token for CI; it is printed once, to stdout, and only its hash is kept", e)
	var rf roleFlags
	rf.register(fs, false)
	ttl := fs.Duration("ttl", 720*time.Hour, "how long the token works; 0 for ever")
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
	if err == nil && *ttl < 0 {
		err = fmt.Errorf("-ttl %s is negative: give how long the token works, such as 720h, or 0 for ever", *ttl)
	}
	if err != nil {
		audit(e, "token create", name, rec, err)
		return u.errorf("%s", err)
	}
	roles := map[string]auth.Role{rf.workspace: role}
	now := time.Now()
	token, err := auth.CreateToken(usersFile(), name, roles, *ttl, now)
	audit(e, "token create", name, rec, err)
	if err != nil {
		return usersError(u, "Cannot create the token", err)
	}
	expires := "never expires"
	if *ttl > 0 {
		expires = "expires " + now.Add(*ttl).UTC().Format("2006-01-02 15:04 MST")
	}
	fmt.Fprintf(e.stderr, "API token %q: %s; %s. It is shown this once (only its hash is kept): store it now.\n", name, rolesText(roles), expires)
	fmt.Fprintln(e.stdout, token)
	return 0
}

func tokenList(args []string, e *env) int {
	fs := serveFlags("serve token list", "", "List the API tokens", e)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() != 0 {
		return u.errorf("serve token list takes no arguments")
	}
	users, err := auth.ReadUsers(usersFile())
	if err != nil {
		return usersError(u, "Cannot read the users file", err)
	}
	now := time.Now()
	tw := newTable(u)
	fmt.Fprintln(tw, "NAME\tROLES\tCREATED\tEXPIRES")
	for _, t := range users.Tokens {
		exp := "never"
		if !t.Expires.IsZero() {
			exp = t.Expires.UTC().Format("2006-01-02 15:04 MST")
			if !now.Before(t.Expires) {
				exp += " (expired)"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, rolesText(t.Roles), t.Created.UTC().Format("2006-01-02 15:04 MST"), exp)
	}
	return flushed(u, tw)
}
