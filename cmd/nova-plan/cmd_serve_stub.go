package main

// This stands in for `nova-plan serve` until the api helper's
// cmd_serve.go lands; delete it then (that serve calls serveSubcommand
// first).

func init() {
	commands["serve"] = command{"Serve the REST API and dashboard; manage its users and tokens: serve user …, serve token …", runServe}
}

func runServe(args []string, e *env) int {
	if code, handled := serveSubcommand(args, e); handled {
		return code
	}
	return newUI(e, false).errorf("the server is not built yet: only serve user … and serve token … work")
}
