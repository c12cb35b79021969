// Command nova-plan plans and applies NovaCron fleet specs: validate, fmt,
// plan, apply, destroy, show, inventory, import, state, graph, force-unlock
// and version, with Terraform's flags and exit codes.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

func main() {
	stopProfile := profile(os.Getenv("NOVA_CPUPROFILE"))
	stopPeak := peakProfile(os.Getenv("NOVA_PEAKPROFILE"))
	if !userPacesGC(os.Environ()) {
		startGC()
		paceGC = limitGC
	}
	code := run(os.Args[1:], &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ(),
	})
	stopProfile()
	stopPeak()
	memProfile(os.Getenv("NOVA_MEMPROFILE"))
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

// memProfile writes the run's allocations profile to path when it is set
// (NOVA_MEMPROFILE=mem.out nova-plan plan …; go tool pprof -sample_index=alloc_space mem.out).
func memProfile(path string) {
	if path == "" {
		return
	}
	runtime.GC() // the profile shows allocations as of the last collection
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "NOVA_MEMPROFILE: %v\n", err)
	}
}
