package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/novacron/novacron/server"
)

func init() {
	commands["serve"] = command{"Serve the REST API, dashboard, live status and metrics over a folder of workspaces", runServe}
}

// shutdownGrace bounds how long serve waits for the requests in flight
// once told to stop (runs are waited for apart, by the estate).
const shutdownGrace = 30 * time.Second

// runServe is `nova-plan serve`: the folder given by -chdir (default
// the current one) served over HTTP(S) until SIGINT or SIGTERM.
func runServe(args []string, e *env) int {
	if code, handled := serveSubcommand(args, e); handled {
		return code
	}
	fs := newFlags("serve", "", e)
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), "\n"+serveSubcommandsUsage)
	}
	var l server.Listen
	fs.StringVar(&l.Addr, "listen", "127.0.0.1:8090", "serve on this `HOST:PORT`")
	fs.StringVar(&l.MetricsAddr, "metrics-listen", "", "serve /metrics on this `HOST:PORT` only (default: on -listen)")
	fs.StringVar(&l.CertFile, "tls-cert", "", "serve HTTPS with this PEM certificate `file` (with -tls-key)")
	fs.StringVar(&l.KeyFile, "tls-key", "", "the certificate's PEM private key `file` (with -tls-cert)")
	fs.BoolVar(&l.Insecure, "insecure-listen", false, "allow plain HTTP on an address other hosts can reach")
	apiWS := fs.String("api-workspace", "", "the workspace (a folder under the served one) whose VMs POST /api/v1/vms creates; none when empty")
	lockTimeout := 5 * time.Minute
	lockTimeoutFlag(fs, &lockTimeout)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() > 0 {
		return u.errorf("serve takes no arguments; use -chdir=DIR to serve another folder, or serve user … / serve token … to manage who may use it")
	}
	if err := l.Check(); err != nil {
		return u.errorf("%s", err)
	}
	return serve(e, u, l, server.Options{APIWorkspace: *apiWS, LockTimeout: lockTimeout, TLS: l.CertFile != "", MetricsListener: l.MetricsAddr != ""})
}

func serve(e *env, u *ui, l server.Listen, o server.Options) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o.Log = slog.New(slog.NewTextHandler(e.stderr, nil))
	root, err := os.Getwd()
	if err != nil {
		return u.errorf("%s", err)
	}
	inst, err := server.Open(ctx, root, o)
	if err != nil {
		return u.errorf("Cannot serve %s: %s", root, err)
	}
	ls, err := server.Bind(l)
	if err != nil {
		inst.Close()
		return u.errorf("%s", err)
	}
	for _, sk := range inst.Estate.Skipped() {
		fmt.Fprintf(e.stderr, "Warning: not serving the folder %s: %s\n", printable(strconv.Quote(sk.Folder), false), sk.Reason)
	}
	announce(e, inst, ls)
	err = server.Serve(ctx, ls, inst.Handler, inst.Metrics, o.Log, shutdownGrace)
	stop() // a second interrupt ends the process at once
	fmt.Fprintln(e.stderr, "Stopping: waiting for the runs in flight to finish (interrupt again to abort them)…")
	if cerr := inst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return u.errorf("%s", err)
	}
	return 0
}

// announce prints where the server listens, what it serves and, on the
// first start, where the first admin's password is (never the password).
func announce(e *env, inst *server.Instance, ls *server.Listeners) {
	fmt.Fprintf(e.stdout, "Serving on %s/\n", ls.URL())
	if ls.Metrics != nil {
		fmt.Fprintf(e.stdout, "Metrics on http://%s/metrics\n", ls.Metrics.Addr())
	}
	ws, err := inst.Estate.Workspaces(context.Background())
	if err == nil {
		fmt.Fprintf(e.stdout, "Workspaces (%d):\n", len(ws))
		for _, w := range ws {
			api := ""
			if w.APIOwned {
				api = " (API-owned: POST /api/v1/vms creates its VMs)"
			}
			fmt.Fprintf(e.stdout, "  %s%s\n", printable(w.Name, false), api)
		}
	}
	if inst.InitialAdminFile != "" {
		fmt.Fprintf(e.stdout, "\nFirst start: the user \"admin\" was made, an admin of every workspace.\nIts password is in %s (readable by you only); log in, then change it with: nova-plan serve user password admin\n", inst.InitialAdminFile)
	}
	fmt.Fprintln(e.stdout, "Press Ctrl-C to stop.")
}
