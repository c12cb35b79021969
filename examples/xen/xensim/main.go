// Command xensim serves internal/xentest, NovaCron's XenAPI test server,
// for trying the xen driver without a XenServer or XCP-ng pool: a
// SIMULATED pool, not XAPI. It has the pool lab-pool with the hosts
// xen-01, xen-02, …, the storage repository shared-nfs, the network
// pool-network and the template debian-12 (an 8 GiB disk and a CD drive),
// and starts -vms unmanaged running VMs. It serves XenAPI's JSON-RPC over
// TLS with a certificate of its own, writes that certificate to a new
// temporary folder, prints the environment that points nova-plan at it:
//
//	export NOVACRON_XEN_URL='https://127.0.0.1:PORT'
//	export NOVACRON_XEN_USERNAME='root'
//	export NOVACRON_XEN_PASSWORD='…'
//	export NOVACRON_XEN_CA_FILE='/tmp/xensim-…/xen-ca.pem'
//
// closes its standard output, and serves until it is killed (Ctrl-C,
// SIGTERM); then it removes its folder. It keeps everything in memory: a
// new run starts empty.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/novacron/novacron/internal/xentest"
)

func main() {
	vms := flag.Int("vms", 0, "unmanaged running VMs to start with")
	hosts := flag.Int("hosts", 2, "hosts in the pool")
	polls := flag.Int("task-polls", 2, "polls an async task stays pending for")
	flag.Parse()
	if err := serve(*vms, *hosts, *polls); err != nil {
		fmt.Fprintln(os.Stderr, "xensim:", err)
		os.Exit(1)
	}
}

func serve(vms, hosts, polls int) error {
	dir, err := os.MkdirTemp("", "xensim-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s := xentest.Start(xentest.Options{VMs: vms, Hosts: hosts, TaskPolls: polls})
	defer s.Close()
	ca, err := s.WriteCA(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "xensim: a SIMULATED XenAPI pool %q (%d hosts) at %s, not XAPI\n", xentest.PoolName, hosts, s.URL)
	for _, kv := range [][2]string{{"URL", s.URL}, {"USERNAME", s.Username}, {"PASSWORD", s.Password}, {"CA_FILE", ca}} {
		fmt.Printf("export NOVACRON_XEN_%s='%s'\n", kv[0], kv[1])
	}
	os.Stdout.Close()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}
