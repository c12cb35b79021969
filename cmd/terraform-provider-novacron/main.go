// Command terraform-provider-novacron serves NovaCron's Terraform provider
// (protocol 6) at registry.terraform.io/novacron/novacron. Terraform starts
// it; with -debug it runs on its own and prints the TF_REATTACH_PROVIDERS
// value that lets Terraform attach to it under a debugger.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/novacron/novacron/provider"
)

// Version is set at build time (-ldflags "-X main.Version=…"; goreleaser
// sets it from the tag).
var Version = "dev"

func main() {
	debug := flag.Bool("debug", false, "run with support for debuggers such as delve")
	flag.Parse()
	err := providerserver.Serve(context.Background(), provider.New(Version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   *debug,
	})
	// Terraform has stopped the provider: close the backends so that
	// drivers keeping files (the simulator) save them and release locks.
	if cerr := provider.CloseBackends(); cerr != nil {
		fmt.Fprintln(os.Stderr, "closing backends:", cerr)
		if err == nil {
			os.Exit(1)
		}
	}
	if err != nil {
		log.Fatal(err)
	}
}
