package provider

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/novacron/novacron/engine/driver"
)

// TestAccFleet_rollingUpdate: batch_size 2 over 6 VMs makes 3 batches, and
// batch k+1 starts only after batch k finished. Two witnesses: the start
// and finish times of each batch the apply records in last_apply, and the
// order in which the simulator journaled the updates (its own record).
func TestAccFleet_rollingUpdate(t *testing.T) {
	dir := testDir(t)
	rollout := "\n  rollout {\n    batch_size = 2\n  }"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: fleetConfig(dir, fleetBody(6, 1, "ubuntu-22.04")+rollout)},
			{
				Config: fleetConfig(dir, fleetBody(6, 2, "ubuntu-22.04")+rollout),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[0]", "update", "fleet.web[1]", "update", "fleet.web[2]", "update",
						"fleet.web[3]", "update", "fleet.web[4]", "update", "fleet.web[5]", "update"),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(fleetAddr, "changes.0.batch", "1"),
					resource.TestCheckResourceAttr(fleetAddr, "changes.1.batch", "1"),
					resource.TestCheckResourceAttr(fleetAddr, "changes.2.batch", "2"),
					resource.TestCheckResourceAttr(fleetAddr, "changes.5.batch", "3"),
					resource.TestCheckResourceAttr(fleetAddr, "last_apply.#", "3"),
					resource.TestCheckResourceAttr(fleetAddr, "last_apply.2.succeeded", "2"),
					checkBatchTimes,
					checkJournalOrder(dir),
				),
			},
		},
	})
}

// flat reads attributes of the fleet from the flat state.
func flat(s *terraform.State) map[string]string {
	return s.RootModule().Resources[fleetAddr].Primary.Attributes
}

// checkBatchTimes: batch k+1 started at or after batch k finished, by the
// per-batch times last_apply records.
func checkBatchTimes(s *terraform.State) error {
	attrs := flat(s)
	n, _ := strconv.Atoi(attrs["last_apply.#"])
	var prevFinished time.Time
	for i := range n {
		p := fmt.Sprintf("last_apply.%d.", i)
		started, err1 := time.Parse(time.RFC3339Nano, attrs[p+"started"])
		finished, err2 := time.Parse(time.RFC3339Nano, attrs[p+"finished"])
		if err1 != nil || err2 != nil {
			return fmt.Errorf("batch %s has no start or finish: %q %q", attrs[p+"batch"], attrs[p+"started"], attrs[p+"finished"])
		}
		if i > 0 && started.Before(prevFinished) {
			return fmt.Errorf("batch %s started at %s, before batch %d finished at %s", attrs[p+"batch"], started, i, prevFinished)
		}
		prevFinished = finished
	}
	return nil
}

// checkJournalOrder reads the updates (cpu 2) in the simulator's journal in
// the order it wrote them and checks that their batches never go down.
func checkJournalOrder(dir string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := flat(s)
		n, _ := strconv.Atoi(attrs["changes.#"])
		batchOf := map[string]int{}
		for i := range n {
			batchOf[attrs[fmt.Sprintf("changes.%d.name", i)]], _ = strconv.Atoi(attrs[fmt.Sprintf("changes.%d.batch", i)])
		}
		f, err := os.Open(filepath.Join(dir, "sim-lab.journal"))
		if err != nil {
			return err
		}
		defer f.Close()
		var order []int
		for sc := bufio.NewScanner(f); sc.Scan(); {
			var e struct {
				Op string `json:"op"`
				VM *struct {
					Name string `json:"name"`
					CPU  int    `json:"cpu"`
				} `json:"vm"`
			}
			if json.Unmarshal(sc.Bytes(), &e) == nil && e.Op == "put" && e.VM != nil && e.VM.CPU == 2 {
				order = append(order, batchOf[e.VM.Name])
			}
		}
		for i := 1; i < len(order); i++ {
			if order[i] < order[i-1] {
				return fmt.Errorf("the simulator applied the updates in batch order %v: a later batch ran before an earlier one", order)
			}
		}
		if len(order) != 6 {
			return fmt.Errorf("the journal holds %d updates, want 6 (order %v)", len(order), order)
		}
		return nil
	}
}

// TestAccFleet_partialFailure: in a rolling update whose first batch has a
// VM that fails, the VM that succeeded is saved, the failure is an error
// naming the VM, the later batches are not started (the fleet halts), and
// the next plan holds exactly what is left to do.
func TestAccFleet_partialFailure(t *testing.T) {
	dir := testDir(t)
	config := func(failNames string, cpu int) string {
		return fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  faulty {
    name       = "lab"
    fail_names = [%s]
  }
}
resource "novacron_fleet" "web" {
  backend = "lab"
  name    = "web"
  %s
  rollout {
    batch_size = 2
  }
}
`, dir, failNames, fleetBody(6, cpu, "ubuntu-22.04"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "faulty.lab"),
		Steps: []resource.TestStep{
			{Config: config("", 1)},
			{
				Config:      config(`"web-1"`, 2),
				ExpectError: regexp.MustCompile(`(?s)fleet\.web\[1\]: update failed.*VM\s+"web-1"`),
			},
			{
				Config: config("", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[1]", "update", "fleet.web[2]", "update", "fleet.web[3]", "update",
						"fleet.web[4]", "update", "fleet.web[5]", "update"),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLiveOn(t, dir, "faulty.lab", "web-1", func(vm driver.VM) bool { return vm.CPU == 2 }),
					resource.TestCheckResourceAttr(fleetAddr, "last_apply.#", "3"),
				),
			},
		},
	})
}

// TestAccFleet_applyThroughTheCore: an apply runs through the core, and a
// change that fails there is reported in the core's words
// (operation.OutcomeDiagnostics: the address, the action, the error, the
// VM and the attempts) on the path of the VM it is about: its entry in
// instances, which Terraform shows on that entry's line.
func TestAccFleet_applyThroughTheCore(t *testing.T) {
	dir := testDir(t)
	config := func(failNames string, cpu int) string {
		return fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  faulty {
    name       = "lab"
    fail_names = [%s]
  }
}
resource "novacron_fleet" "web" {
  backend   = "lab"
  name      = "web"
  template  = { image = "u" }
  cpu       = 1
  memory_gb = 1
  instances = {
    a = {}
    b = { cpu = %d }
  }
}
`, dir, failNames, cpu)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "faulty.lab"),
		Steps: []resource.TestStep{
			{Config: config("", 1)},
			{
				Config: config(`"web-b"`, 2),
				ExpectError: regexp.MustCompile(`(?s)Error: fleet\.web\["b"\]: update failed.*\d+:\s+b = \{ cpu = 2 \}.*` +
					`Injected failure for web-b \(VM\s+"web-b",\s+after\s+1\s+attempt\)\.`),
			},
			{
				Config: config("", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre(`fleet.web["b"]`, "update"),
				}},
				Check: checkLiveOn(t, dir, "faulty.lab", "web-b", func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
		},
	})
}

// TestAccFleet_interrupted: Ctrl-C in terraform mid-apply stops the apply;
// the provider still records exactly the VMs it made (no unknown value,
// no "invalid result object"), and the next apply brings the fleet to its
// size with no VM lost or made twice.
func TestAccFleet_interrupted(t *testing.T) {
	dir := testDir(t)
	config := func(interrupt int) string {
		return fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  faulty {
    name            = "lab"
    hosts           = 3
    latency         = "300ms"
    parallelism     = 2
    interrupt_after = %d
  }
}
resource "novacron_fleet" "web" {
  backend = "lab"
  name    = "web"
  %s
  rollout {
    batch_size = 4
  }
}
`, dir, interrupt, fleetBody(10, 1, "ubuntu-22.04"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "faulty.lab"),
		ErrorCheck: func(err error) error { // the interrupted step's, alone
			if msg := err.Error(); strings.Contains(msg, "Apply interrupted") &&
				!strings.Contains(msg, "invalid result object") && !strings.Contains(msg, "Cannot read the inventory") {
				return nil
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				Config: config(3),
				Check:  func(*terraform.State) error { return fmt.Errorf("the apply was not interrupted") },
			},
			{
				PreConfig: func() {
					if n := len(liveVMs(t, dir, "faulty.lab")); n < 3 || n >= 10 {
						t.Errorf("the interrupted apply made %d VMs; want 3 to 9", n)
					}
				},
				Config: config(0),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(fleetAddr, "vms.%", "10"),
					func(*terraform.State) error {
						vms := liveVMs(t, dir, "faulty.lab")
						return expect(len(vms) == 10, "the VMs after the apply that follows the interrupted one", vms)
					},
				),
			},
		},
	})
}
