// Command nova-plan plans and applies NovaCron fleet specs: validate, fmt,
// plan, apply, destroy, show, inventory, state, graph, force-unlock and
// version, with Terraform's flags and exit codes.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ(),
	}))
}
