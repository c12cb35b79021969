package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/novacron/novacron/engine/workspace"
)

// workspaceCommands are workspace's subcommands (`nova-plan completion`
// completes them).
var workspaceCommands = map[string]func(args []string, e *env) int{
	"list": workspaceList, "show": workspaceShow, "new": workspaceNew, "select": workspaceSelect, "delete": workspaceDelete,
}

func runWorkspace(args []string, e *env) int {
	u := newUI(e, false)
	if len(args) == 0 {
		return u.errorf("workspace needs a subcommand: list, new NAME, select NAME, show or delete NAME")
	}
	switch args[0] {
	case "-help", "--help", "-h", "--h":
		workspaceUsage(e)
		return 0
	}
	if run, ok := workspaceCommands[args[0]]; ok {
		return run(args[1:], e)
	}
	return u.errorf("unknown workspace subcommand %q: use list, new, select, show or delete", args[0])
}

func workspaceUsage(e *env) {
	fmt.Fprint(e.stderr, `Usage: nova-plan workspace <subcommand> [options] [NAME]

Manage workspaces: each has its own state, lock and history in the spec's backend.

Subcommands:
  list                 List the workspaces; * marks the selected one
  show                 Print the selected workspace's name
  new NAME             Create a workspace and select it
  select NAME          Select a workspace (recorded in .nova/environment; NOVA_WORKSPACE overrides it)
  delete [-force] NAME Delete a workspace with its state and history

Every subcommand takes -backend-config=KEY=VALUE.
`)
}

// workspaceCommand parses a workspace subcommand's flags and wants
// nargs names; it returns the backend opened without a selection.
func workspaceCommand(name string, nargs int, args []string, e *env, extra func(*flag.FlagSet)) (*workspace.Workspace, []string, *ui, int) {
	fs := newFlags("workspace "+name, map[int]string{0: "", 1: "NAME"}[nargs], e)
	// workspace delete reads the state to count its VMs: it needs the key.
	bf := backendFlags{noDocuments: name != "delete"}
	bf.register(fs)
	if extra != nil {
		extra(fs)
	}
	if code, ok := parse(fs, args); !ok {
		return nil, nil, nil, code
	}
	u := newUI(e, false)
	if fs.NArg() != nargs {
		if nargs == 0 {
			return nil, nil, u, u.errorf("workspace %s takes no arguments", name)
		}
		return nil, nil, u, u.errorf("workspace %s needs the workspace's name", name)
	}
	ws := openBackend(context.Background(), u, e, &bf)
	if ws == nil {
		return nil, nil, u, 1
	}
	return ws, fs.Args(), u, 0
}

func workspaceList(args []string, e *env) int {
	ws, _, u, code := workspaceCommand("list", 0, args, e, nil)
	if ws == nil {
		return code
	}
	defer closeWorkspace(u, ws)
	names, sel, err := ws.Workspaces(context.Background(), e.environ)
	if err != nil {
		return u.stateError("Cannot list the workspaces", err)
	}
	for _, n := range names {
		mark := " "
		if n == sel.Name {
			mark = "*"
		}
		u.printf("%s %s\n", mark, n)
	}
	return 0
}

func workspaceShow(args []string, e *env) int {
	fs := newFlags("workspace show", "", e)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() != 0 {
		return u.errorf("workspace show takes no arguments")
	}
	sel, err := workspace.Selected(workspace.DataDirName, e.environ)
	if err != nil {
		return u.stateError("Cannot tell which workspace is selected", err)
	}
	u.printf("%s\n", sel.Name)
	return 0
}

func workspaceNew(args []string, e *env) int {
	ws, names, u, code := workspaceCommand("new", 1, args, e, nil)
	if ws == nil {
		return code
	}
	defer closeWorkspace(u, ws)
	selected, err := ws.CreateWorkspace(context.Background(), names[0], e.environ)
	if err != nil {
		return u.stateError("Cannot create the workspace", err)
	}
	if !selected {
		if sel, err := workspace.Selected(ws.DataDir, e.environ); err == nil && sel.Name == names[0] {
			u.printf("Created workspace %q, which %s=%s selects (.nova/environment is unchanged). It has no state yet: the next apply creates its VMs.\n",
				names[0], workspace.WorkspaceEnv, names[0])
			return 0
		}
		u.printf("Created workspace %q. %s selects another workspace, so commands keep using that one: set %s=%s to use the new one.\n",
			names[0], workspace.WorkspaceEnv, workspace.WorkspaceEnv, names[0])
		return 0
	}
	u.printf("Created and selected workspace %q. It has no state yet: the next apply creates its VMs.\n", names[0])
	return 0
}

func workspaceSelect(args []string, e *env) int {
	ws, names, u, code := workspaceCommand("select", 1, args, e, nil)
	if ws == nil {
		return code
	}
	defer closeWorkspace(u, ws)
	if err := ws.SelectWorkspace(context.Background(), names[0], e.environ); err != nil {
		return u.stateError("Cannot select the workspace", err)
	}
	u.printf("Switched to workspace %q.\n", names[0])
	return 0
}

func workspaceDelete(args []string, e *env) int {
	var force *bool
	ws, names, u, code := workspaceCommand("delete", 1, args, e, func(fs *flag.FlagSet) {
		force = fs.Bool("force", false, "delete the workspace even if its state still manages VMs (they are left running, unmanaged)")
	})
	if ws == nil {
		return code
	}
	defer closeWorkspace(u, ws)
	if err := ws.DeleteWorkspace(context.Background(), names[0], *force, e.environ); err != nil {
		return u.stateError("Cannot delete the workspace", err)
	}
	u.printf("Deleted workspace %q.\n", names[0])
	return 0
}
