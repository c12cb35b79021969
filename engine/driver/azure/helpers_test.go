package azure

import (
	"context"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/azuretest"
)

// The tests run the driver against the Azure SDK's own server fakes,
// whose state internal/azuretest keeps, through the real SDK clients.

const (
	testSubscription = "00000000-1111-2222-3333-444444444444"
	testGroup        = "novacron-test"
	testLocation     = "westeurope"
	testSubnet       = "/subscriptions/" + testSubscription + "/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"
	testImage        = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest"
	testKey          = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vdmFjcm9uLXRlc3Qta2V5LW5vdC1hLXJlYWwtb25l test@novacron"
)

// newStore is an empty resource group that offers every size of the
// driver's table and the test image.
func newStore() *azuretest.Store {
	return azuretest.New(azuretest.Config{
		Subscription: testSubscription, ResourceGroup: testGroup, Location: testLocation,
		Subnets: []string{testSubnet},
		Images:  []string{"Canonical:0001-com-ubuntu-server-jammy:22_04-lts"},
		Sizes:   sizes.Names(),
	})
}

// testOptions reach the store with fast polls and retries.
func testOptions(s *azuretest.Store) Options {
	return Options{Credential: s.Credential(), Transport: s.Transport(), PollFrequency: 5 * time.Millisecond, RetryDelay: 5 * time.Millisecond}
}

// testConfig is a provider block on the store's resource group.
func testConfig() driver.Config {
	return driver.Config{
		settingSubscription: testSubscription, settingResourceGroup: testGroup,
		settingLocation: testLocation, settingSubnet: testSubnet, settingSSHKey: testKey,
	}
}

// openDriver opens a driver on the store and closes it when the test ends.
func openDriver(t testing.TB, s *azuretest.Store, cfg driver.Config) *Driver {
	t.Helper()
	d, err := Open(context.Background(), driver.OpenRequest{Name: "cloud", Config: cfg}, testOptions(s))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// testTemplate is the test image at the cheapest size that fits.
var testTemplate = driver.TemplateRef{Name: "ubuntu", Config: driver.Config{tmplImage: testImage}}

// testSpec is a small running VM with a marker and tags.
func testSpec(name string) driver.VMSpec {
	return driver.VMSpec{
		Name: name, CPU: 2, MemoryMiB: 2048, DiskGB: 30, Power: driver.PowerRunning, Template: testTemplate,
		Tags:   map[string]string{"tier": "web"},
		Marker: driver.Marker{Address: "vm." + name, Lineage: "test-lineage", SpecHash: "h"},
	}
}

// storeHooks change a store's behaviour for one case.
type storeHooks struct{ s *azuretest.Store }

func (h storeHooks) refuse(err error) { h.s.Credential().SetError(err) }
