package place_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/place"
)

// TestBoundAndPlacerAgainstGLPK solves small generated instances exactly
// with GLPK (glpsol, a mixed-integer bin-packing model this test writes)
// and checks the chain the quality suite relies on: the configuration-LP
// bound is at most the optimum, and Vector uses at least the optimum (the
// solver is right) and at most one host more.
func TestBoundAndPlacerAgainstGLPK(t *testing.T) {
	glpsol, err := exec.LookPath("glpsol")
	if err != nil {
		t.Fatalf("glpsol is missing: run scripts/glpk-up.sh (installs Debian's glpk-utils), which make test runs")
	}
	for seed := int64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			in := genInstance(seed, 36, 6)
			in.hosts = 12 // room above the optimum: the 6 hosts sized the load
			b, err := in.bound()
			if err != nil {
				t.Fatal(err)
			}
			opt := solveExactly(t, glpsol, in)
			used, unplaced := hostsUsed(in, place.Vector{})
			t.Logf("LP %.3f → %d, optimum %d, Vector %d", b.LP, b.Hosts, opt, used)
			switch {
			case unplaced > 0:
				t.Errorf("Vector left %d VMs unplaced on %d hosts; the optimum needs %d", unplaced, in.hosts, opt)
			case b.LP > float64(opt)+1e-6:
				t.Errorf("the LP bound %.4f exceeds the optimum %d", b.LP, opt)
			case used < opt:
				t.Errorf("Vector used %d hosts, fewer than GLPK's optimum %d", used, opt)
			case used > opt+1:
				t.Errorf("Vector used %d hosts; the optimum is %d", used, opt)
			}
		})
	}
}

// solveExactly writes the instance as a CPLEX LP model (x[t][h] VMs of type
// t on host h, u[h] = 1 when host h is used, hosts used in order) and
// returns GLPK's integer optimum.
func solveExactly(t *testing.T, glpsol string, in instance) int {
	dir := t.TempDir()
	model, out := filepath.Join(dir, "pack.lp"), filepath.Join(dir, "pack.out")
	if err := os.WriteFile(model, []byte(lpModel(in)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(glpsol, "--lp", model, "-o", out, "--tmlim", "60")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("glpsol: %v\n%s", err, b)
	}
	report, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), "INTEGER OPTIMAL") {
		t.Fatalf("glpsol found no proven optimum:\n%s", report)
	}
	m := regexp.MustCompile(`Objective:\s+obj = (\d+)`).FindSubmatch(report)
	if m == nil {
		t.Fatalf("no objective in glpsol's report:\n%s", report)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func lpModel(in instance) string {
	var b strings.Builder
	caps := []int64{int64(in.host.CPU), in.host.MemoryMiB, in.host.DiskGiB}
	b.WriteString("Minimize\n obj:")
	for h := range in.hosts {
		fmt.Fprintf(&b, " + u%d", h)
	}
	b.WriteString("\nSubject To\n")
	for ty, typ := range in.types {
		fmt.Fprintf(&b, " n%d:", ty)
		for h := range in.hosts {
			fmt.Fprintf(&b, " + x%d_%d", ty, h)
		}
		fmt.Fprintf(&b, " = %d\n", typ.Count)
	}
	for h := range in.hosts {
		for d, c := range caps {
			fmt.Fprintf(&b, " c%d_%d:", d, h)
			for ty, typ := range in.types {
				fmt.Fprintf(&b, " + %d x%d_%d", typ.Demand[d], ty, h)
			}
			fmt.Fprintf(&b, " - %d u%d <= 0\n", c, h)
		}
		if h > 0 {
			fmt.Fprintf(&b, " s%d: u%d - u%d <= 0\n", h, h, h-1)
		}
	}
	b.WriteString("Bounds\n")
	for ty, typ := range in.types {
		for h := range in.hosts {
			fmt.Fprintf(&b, " 0 <= x%d_%d <= %d\n", ty, h, typ.Count)
		}
	}
	b.WriteString("General\n")
	for ty := range in.types {
		for h := range in.hosts {
			fmt.Fprintf(&b, " x%d_%d\n", ty, h)
		}
	}
	b.WriteString("Binary\n")
	for h := range in.hosts {
		fmt.Fprintf(&b, " u%d\n", h)
	}
	b.WriteString("End\n")
	return b.String()
}
