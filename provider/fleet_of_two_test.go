package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// testFleetOfTwo applies config, a novacron_fleet "web" of two VMs on the
// backend whose provider key is key, checks that both carry the fleet's
// marker and what check says of the test server, then destroys it and
// checks that the backend holds no VM, and what checkDestroy (nil for
// nothing more) says.
func testFleetOfTwo(t *testing.T, dir, key, config string, check, checkDestroy resource.TestCheckFunc) {
	t.Helper()
	destroy := checkNoVMs(dir, key)
	if checkDestroy != nil {
		destroy = resource.ComposeAggregateTestCheckFunc(destroy, checkDestroy)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             destroy,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms"), knownvalue.MapSizeExact(2)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkMarkers(t, dir, key, fleetAddr), check),
		}},
	})
}
