package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvConnString names a server to test against instead of pg-up.sh's.
const EnvConnString = "NOVA_PG_TEST_CONN_STR"

// T is the part of testing.TB pgtest uses.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
	Name() string
}

var found struct {
	sync.Mutex
	conn string
}

// ConnString returns the connection string of the test server (see the
// package doc for where it looks), starting the server when needed.
func ConnString(t T) string {
	t.Helper()
	found.Lock()
	defer found.Unlock()
	if found.conn != "" {
		return found.conn
	}
	if env := os.Getenv(EnvConnString); env != "" {
		if err := ping(env); err != nil {
			t.Fatalf("pgtest: %s names a server that does not answer: %v", EnvConnString, err)
		}
		found.conn = env
		return env
	}
	conn, err := fromScript(Dir())
	if err != nil {
		t.Fatalf("pgtest: no PostgreSQL server for the test: %v", err)
	}
	found.conn = conn
	return conn
}

// fromScript reads the connection file pg-up.sh writes in dir when the
// server it names answers; otherwise it runs pg-up.sh and reads it again.
func fromScript(dir string) (string, error) {
	file := filepath.Join(dir, "conn_str")
	if data, err := os.ReadFile(file); err == nil {
		conn := strings.TrimSpace(string(data))
		if ping(conn) == nil {
			return conn, nil
		}
	}
	if out, err := runScript(dir, "up"); err != nil {
		return "", fmt.Errorf("scripts/pg-up.sh failed (%v): %s", err, out)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("scripts/pg-up.sh ran but wrote no connection file: %w", err)
	}
	conn := strings.TrimSpace(string(data))
	if err := ping(conn); err != nil {
		return "", fmt.Errorf("scripts/pg-up.sh started a server that does not answer: %v", err)
	}
	return conn, nil
}

// Dir returns the folder of the cluster pg-up.sh runs (its connection
// file is conn_str there): NOVA_PG_DIR, or /tmp/novacron-pg as root,
// /tmp/novacron-pg-USER otherwise.
func Dir() string {
	if dir := os.Getenv("NOVA_PG_DIR"); dir != "" {
		return dir
	}
	if os.Getuid() == 0 {
		return "/tmp/novacron-pg"
	}
	name := fmt.Sprint(os.Getuid())
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return "/tmp/novacron-pg-" + name
}

// ping connects and runs one query, within 10 seconds.
func ping(conn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	return c.Ping(ctx)
}

// runScript runs scripts/pg-up.sh with a command on the cluster in dir
// and returns its output.
func runScript(dir, command string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(filepath.Join(root, "scripts", "pg-up.sh"), command)
	cmd.Env = append(os.Environ(), "NOVA_PG_DIR="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return strings.TrimSpace(out.String()), err
}

// moduleRoot returns the folder of the go.mod above the working directory
// (a test runs in its package's folder).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "scripts", "pg-up.sh")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("scripts/pg-up.sh is not in any folder above the working directory: run the tests inside the NovaCron module")
		}
		dir = parent
	}
}

// Restartable is a server of its own that a test may restart: a second
// cluster pg-up.sh runs (in Dir()+"-restart"), so that restarting it
// ends no session of the tests that use ConnString, in this process or in
// another package's test binary. A test holds it alone: Restartable
// waits for an exclusive flock on its folder, released at cleanup.
type Restartable struct {
	ConnString string
	dir        string
}

// NewRestartable starts the restartable server when needed, waits until no
// other test holds it, and returns it.
func NewRestartable(t T) *Restartable {
	t.Helper()
	dir := Dir() + "-restart"
	conn, err := fromScript(dir)
	if err != nil {
		t.Fatalf("pgtest: no restartable PostgreSQL server for the test: %v", err)
	}
	f, err := os.Open(dir)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("pgtest: locking %s: %v", dir, err)
	}
	t.Cleanup(func() { f.Close() })
	return &Restartable{ConnString: conn, dir: dir}
}

// Restart restarts the server (pg_ctl restart -m fast, as the cluster's
// owner, through pg-up.sh): every session ends.
func (r *Restartable) Restart(t T) {
	t.Helper()
	if out, err := runScript(r.dir, "restart"); err != nil {
		t.Fatalf("pgtest: scripts/pg-up.sh restart failed (%v): %s", err, out)
	}
}
