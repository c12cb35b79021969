// Command vcsim serves govmomi's vCenter simulator for NovaCron's vSphere
// driver: a SIMULATED vCenter, not a real one, with a datacenter DC0, a
// cluster DC0_C0 of -hosts hosts, a datastore LocalDS_0, a network
// DC0_DVPG0, a VM template novacron-template and -vms unmanaged VMs. It
// serves TLS with a certificate signed by a CA of its own, which it writes
// to a file, and prints the environment that points nova-plan at it:
//
//	export NOVACRON_VSPHERE_URL=https://127.0.0.1:PORT/sdk
//	export NOVACRON_VSPHERE_USER=novacron
//	export NOVACRON_VSPHERE_PASSWORD=…
//	export NOVACRON_VSPHERE_CA_FILE=/tmp/novacron-vcsim-…/vcsim-ca.pem
//
// It serves until it is killed (Ctrl-C, SIGTERM), then removes its files.
// With -detach it starts the simulator in the background, prints the same
// lines and export NOVACRON_VCSIM_PID=…, and returns, so that
//
//	eval "$(go run ./examples/vsphere/vcsim -detach)"
//	… nova-plan apply …
//	kill $NOVACRON_VCSIM_PID
//
// works from one shell. Everything the simulator keeps (VM files, the CA,
// its log) is in one folder under TMPDIR, removed when it stops.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/novacron/novacron/internal/vcsim"
)

// dirPrefix starts the name of the folder a simulator keeps its files in.
const dirPrefix = "novacron-vcsim-"

// options are the command's flags.
type options struct {
	hosts, vms int
	listen     string
	detach     bool
	dir        string // set by -detach for the background process
}

func main() {
	var o options
	flag.IntVar(&o.hosts, "hosts", 3, "hosts in the cluster DC0_C0")
	flag.IntVar(&o.vms, "vms", 0, "unmanaged VMs to make besides the template")
	flag.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to serve on")
	flag.BoolVar(&o.detach, "detach", false, "serve in the background: print the environment and return")
	flag.StringVar(&o.dir, "dir", "", "internal: the folder -detach made for the background simulator, which removes it")
	flag.Parse()
	if o.hosts < 1 || o.vms < 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "vcsim: usage: vcsim [-hosts N (≥ 1)] [-vms N] [-listen ADDR] [-detach]")
		os.Exit(2)
	}
	var err error
	if o.detach {
		err = detach(o)
	} else {
		err = serve(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "vcsim:", err)
		os.Exit(1)
	}
}

// serve starts the simulator, prints the environment on stdout and closes
// it (so that a reader of it, such as -detach, sees its end), and serves
// until SIGINT or SIGTERM. Messages go to stderr.
func serve(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.dir == "" {
		dir, err := os.MkdirTemp("", dirPrefix)
		if err != nil {
			return err
		}
		o.dir = dir
	}
	if !strings.HasPrefix(filepath.Base(o.dir), dirPrefix) {
		return fmt.Errorf("-dir %s is not a folder vcsim made (%s…): it would be removed at exit", o.dir, dirPrefix)
	}
	defer os.RemoveAll(o.dir)
	os.Setenv("TMPDIR", o.dir) // the simulator writes its VMs' files there
	fmt.Fprintf(os.Stderr, "vcsim: starting a SIMULATED vCenter (govmomi's vcsim, not a real vCenter): %d hosts, %d VMs\n", o.hosts, o.vms)
	sim, err := vcsim.Start(ctx, vcsim.Options{Hosts: o.hosts, VMs: o.vms, Listen: o.listen, Dir: o.dir})
	if err != nil {
		return err
	}
	defer sim.Close()
	fmt.Print(environment(sim))
	os.Stdout.Close()
	fmt.Fprintf(os.Stderr, "vcsim: serving %s until killed (Ctrl-C or kill %d)\n", sim.URL, os.Getpid())
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "vcsim: stopping; removing", o.dir)
	return nil
}

// environment is the shell text that points nova-plan at the simulator.
func environment(sim *vcsim.Sim) string {
	var b strings.Builder
	b.WriteString("# NovaCron vCenter SIMULATOR (govmomi's vcsim): not a real vCenter\n")
	for _, kv := range sim.Env() {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(v))
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
