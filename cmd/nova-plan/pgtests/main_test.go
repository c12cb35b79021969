package pgtests

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/clitest"
)

var novaBin string

func TestMain(m *testing.M) {
	flag.Parse()
	bin, cleanup, err := clitest.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	novaBin = bin
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// site is a spec folder whose state is in a schema of a PostgreSQL
// server; the server's connection string reaches nova-plan through
// NOVA_PG_CONN_STR, as a CI runner's would.
type site struct {
	dir, conn, schema string
}

// newSite writes body, with a novacron block naming the pg backend and
// schema, into a new folder.
func newSite(t testing.TB, conn, schema, body string) *site {
	t.Helper()
	s := &site{dir: t.TempDir(), conn: conn, schema: schema}
	clitest.WriteSpec(t, s.dir, body+"\nnovacron {\n  backend \"pg\" {\n    schema = \""+schema+"\"\n  }\n}\n")
	return s
}

func (s *site) env() []string { return []string{"NOVA_PG_CONN_STR=" + s.conn} }

// run runs nova-plan in the site's folder and waits for it.
func (s *site) run(t testing.TB, args ...string) clitest.Result {
	t.Helper()
	return clitest.RunEnv(t, novaBin, s.dir, "", s.env(), args...)
}

// proc is nova-plan running in the background.
type proc struct {
	cmd   *exec.Cmd
	out   *bytes.Buffer
	args  []string
	began time.Time
	ended time.Time
	code  int
}

// start runs nova-plan in the background; it is killed at cleanup if it
// still runs.
func (s *site) start(t testing.TB, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(novaBin, args...)
	cmd.Dir = s.dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), s.env()...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	p := &proc{cmd: cmd, out: &out, args: args, began: time.Now()}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return p
}

// wait waits for p to exit and returns its exit code.
func (p *proc) wait(t testing.TB) int {
	t.Helper()
	err := p.cmd.Wait()
	p.ended = time.Now()
	p.code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		p.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("nova-plan %v: %v", p.args, err)
	}
	return p.code
}

// query runs one query returning one integer on the site's server.
func (s *site) query(t testing.TB, sql string, args ...any) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, s.conn)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	defer c.Close(context.Background())
	var n int
	if err := c.QueryRow(ctx, strings.ReplaceAll(sql, "{s}", pgx.Identifier{s.schema}.Sanitize()), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// lockHolder returns the pid recorded in the workspace's lock row, or 0
// when no lock row exists (or the schema does not yet).
func (s *site) lockHolder(t testing.TB, workspace string) int {
	t.Helper()
	if s.query(t, "SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = 'locks'", s.schema) == 0 {
		return 0
	}
	return s.query(t, "SELECT coalesce(max(pid), 0) FROM {s}.locks WHERE workspace = $1", workspace)
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// journalLines counts the simulator's journal entries of provider "lab":
// VMs created so far.
func (s *site) journalLines() int {
	data, _ := os.ReadFile(filepath.Join(s.dir, ".nova", "sim-lab.journal"))
	return bytes.Count(data, []byte("\n"))
}

// record is a record of `history -json`.
type record struct {
	Kind      string `json:"kind"`
	RunID     string `json:"run_id"`
	Operation string `json:"operation"`
	Address   string `json:"address"`
	Action    string `json:"action"`
	Outcome   string `json:"outcome"`
}

func (s *site) history(t testing.TB) []record {
	t.Helper()
	r := s.run(t, "history", "-json").Must(t, 0, "history -json")
	var doc struct {
		Records []record `json:"records"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("history -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	return doc.Records
}

// runs returns the apply runs of the history: run ID → its start, action
// and end records, in order.
func runs(recs []record) map[string][]record {
	out := map[string][]record{}
	for _, r := range recs {
		out[r.RunID] = append(out[r.RunID], r)
	}
	return out
}

// inventory returns the VMs of `inventory -json`.
func (s *site) inventory(t testing.TB) []clitest.VM {
	t.Helper()
	inv := s.run(t, "inventory", "-json").Must(t, 0, "inventory -json")
	var doc struct {
		VMs []clitest.VM `json:"vms"`
	}
	if err := json.Unmarshal([]byte(inv.Stdout), &doc); err != nil {
		t.Fatalf("inventory -json: %v\n%s", err, inv.Stdout)
	}
	return doc.VMs
}

// wantConverged checks the estate: the simulator has every address of
// want exactly once and no VM without an address (an orphan), the state
// lists the same addresses, and a plan finds nothing to change.
func (s *site) wantConverged(t testing.TB, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, vm := range s.inventory(t) {
		if vm.Address == "" {
			t.Errorf("VM %s (%s) exists but no state manages it: an orphan", vm.ID, vm.Name)
			continue
		}
		seen[vm.Address]++
	}
	for _, a := range want {
		if seen[a] != 1 {
			t.Errorf("%s exists %d times in the simulator, want exactly once", a, seen[a])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("the simulator has %d managed addresses, want %d", len(seen), len(want))
	}
	listed := strings.Fields(s.run(t, "state", "list").Must(t, 0, "state list").Stdout)
	if len(listed) != len(want) {
		t.Errorf("state list has %d addresses, want %d", len(listed), len(want))
	}
	for _, a := range listed {
		if seen[a] != 1 {
			t.Errorf("state lists %s, which the simulator has %d times", a, seen[a])
		}
	}
	s.run(t, "plan", "-detailed-exitcode").Must(t, 0, "plan after convergence: no changes")
}

// fleetSpec declares fleets f0…f(fleets-1) of size VMs each on a
// simulator whose every call takes latency.
func fleetSpec(fleets, size int, latency string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `provider "sim" "lab" {
  hosts          = 8
  host_cpu       = 512
  host_memory_gb = 2048
  latency        = %q
}
template "t" {
  sim { image = "base" }
}
`, latency)
	for i := range fleets {
		fmt.Fprintf(&b, "fleet \"f%d\" {\n  count     = %d\n  template  = template.t\n  cpu       = 1\n  memory_gb = 1\n}\n", i, size)
	}
	return b.String()
}

// addresses lists the addresses of fleetSpec's VMs.
func addresses(fleets, size int) []string {
	var out []string
	for i := range fleets {
		for j := range size {
			out = append(out, fmt.Sprintf("fleet.f%d[%d]", i, j))
		}
	}
	return out
}
