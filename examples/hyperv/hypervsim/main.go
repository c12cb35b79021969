// Command hypervsim serves internal/hypervtest, NovaCron's WS-Management
// test server, for trying the hyperv driver without Windows: a SIMULATED
// Hyper-V behind WinRM, not Hyper-V. It answers over HTTPS with its own
// certificate, takes NTLM and Basic, runs only the hyperv driver's own
// PowerShell scripts against an in-memory model of two hosts (HV1, the
// endpoint, and HV2: 16 logical processors and 64 GiB each, the virtual
// switch LAN) and the template VHDX C:\Templates\tiny.vhdx (1 GiB), and
// starts -vms VMs that NovaCron does not manage. It prints the environment
// that points nova-plan at it:
//
//	export NOVACRON_HYPERV_URL=https://127.0.0.1:PORT/wsman
//	export NOVACRON_HYPERV_USERNAME=novacron
//	export NOVACRON_HYPERV_PASSWORD=…
//	export NOVACRON_HYPERV_CA_FILE=/tmp/hypervtest-…/ca.pem
//
// and serves until it is killed (Ctrl-C, SIGTERM). It keeps everything in
// memory: a new run starts empty.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/novacron/novacron/internal/hypervtest"
)

func main() {
	vms := flag.Int("vms", 0, "VMs NovaCron does not manage to start with")
	flag.Parse()
	s, err := hypervtest.Start(hypervtest.Options{VMs: *vms})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hypervsim:", err)
		os.Exit(1)
	}
	defer s.Close()
	for _, kv := range [][2]string{
		{"NOVACRON_HYPERV_URL", s.URL}, {"NOVACRON_HYPERV_USERNAME", s.User},
		{"NOVACRON_HYPERV_PASSWORD", s.Password}, {"NOVACRON_HYPERV_CA_FILE", s.CAFile},
	} {
		fmt.Printf("export %s=%s\n", kv[0], kv[1])
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
