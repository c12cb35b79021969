// Command gcesim serves internal/gcetest, NovaCron's Compute Engine test
// server, for trying the gce driver without a Google Cloud project: a
// SIMULATED Compute Engine API, not Google Cloud. Its project is
// novacron-test with zones us-central1-a and us-central1-b, the network
// default and subnetwork novacron-sub, and the image
// projects/debian-cloud/global/images/debian-12-bookworm-v20240611 (family
// debian-12). It writes a service account key whose token endpoint is the
// server, and prints the environment that points nova-plan at it:
//
//	export GOOGLE_APPLICATION_CREDENTIALS=/tmp/gcesim…/gce-credentials.json
//	export NOVA_VAR_endpoint=http://127.0.0.1:PORT/compute/v1/
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

	"github.com/novacron/novacron/internal/gcetest"
)

func main() {
	instances := flag.Int("instances", 0, "unmanaged running instances to start with")
	flag.Parse()
	if err := serve(*instances); err != nil {
		fmt.Fprintln(os.Stderr, "gcesim:", err)
		os.Exit(1)
	}
}

func serve(instances int) error {
	s, err := gcetest.Start(gcetest.Options{Instances: instances})
	if err != nil {
		return err
	}
	defer s.Close()
	dir, err := os.MkdirTemp("", "gcesim")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	creds, err := s.WriteCredentials(dir, false)
	if err != nil {
		return err
	}
	fmt.Printf("export GOOGLE_APPLICATION_CREDENTIALS=%s\n", creds)
	fmt.Printf("export NOVA_VAR_endpoint=%s\n", s.Endpoint)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}
