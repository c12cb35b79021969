// Command nova-plan plans and applies NovaCron fleet specs: validate, fmt,
// plan, apply, destroy, show, inventory, import, state, graph, force-unlock
// and version, with Terraform's flags and exit codes.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

func main() {
	stopProfile := profile(os.Getenv("NOVA_CPUPROFILE"))
	code := run(os.Args[1:], &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ(),
	})
	stopProfile()
	os.Exit(code)
}

// profile writes a CPU profile to path when it is set (for performance
// work: NOVA_CPUPROFILE=cpu.out nova-plan apply …; go tool pprof cpu.out).
func profile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "NOVA_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
