package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// stateMigrate copies every workspace of an old backend into the spec's
// backend, leaving the old one as it was.
func stateMigrate(args []string, e *env) int {
	fs := newFlags("state migrate", "", e)
	from := fs.String("from", "", "the old backend's `TYPE`: local or pg")
	fromConfig := settingsFlag{name: "from-config"}
	fs.Var(&fromConfig, "from-config", "a setting of the old backend: `KEY=VALUE` (repeatable), such as path=../old-state or conn_str=…")
	force := fs.Bool("force", false, "replace the state of target workspaces that already have some")
	var lockTimeout time.Duration
	lockTimeoutFlag(fs, &lockTimeout)
	var bf backendFlags
	bf.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	switch {
	case fs.NArg() > 0:
		return u.errorf("state migrate takes no arguments: the new backend is the spec's, the old one -from and -from-config")
	case *from == "":
		return u.errorf("state migrate needs -from=TYPE, the old backend's type (%s), and its settings with -from-config=KEY=VALUE", wordsOr(spec.BackendTypes()))
	}
	if u.diagnostics(workspace.CheckSettings("-from-config", *from, fromConfig.settings)) {
		return 1
	}
	ctx := context.Background()
	ws := openBackend(ctx, u, e, &bf)
	if ws == nil {
		return 1
	}
	defer closeWorkspace(u, ws)
	old := &spec.BackendConfig{Type: *from, Settings: map[string]string{}}
	for _, s := range fromConfig.settings {
		old.Settings[s.Key] = s.Value
	}
	red := workspace.NewRedactor(old)
	src, err := workspace.OpenSource(ctx, old, ws.DataDir, ws.StoreSealer()) // read with the key the new one is written with
	if err != nil {
		return u.stateError("Cannot open the old backend", redacted(red, err))
	}
	defer src.Close()
	done, err := ws.Migrate(ctx, src, workspace.MigrateOptions{Force: *force, LockTimeout: lockTimeout, From: *from})
	for _, m := range done {
		u.printf("Copied workspace %q: %s, %s.\n", m.Workspace, migratedState(m), plural(m.Records, "history record"))
	}
	if err != nil {
		return u.stateError("Cannot migrate the state", redacted(red, err))
	}
	u.printf("\nThe old backend (%s) is untouched; nova-plan now uses %s.\n", red.String(src.Describe()), ws.Backend.Describe())
	u.printf("Once you have checked the copy (nova-plan workspace list, nova-plan state list), remove the old state yourself: %s\n",
		workspace.RemovalHint(old, ws.DataDir))
	return 0
}

func migratedState(m workspace.Migrated) string {
	switch {
	case m.Serial == 0:
		return "no state"
	case m.Replaced:
		return plural(m.VMs, "VM") + " at serial " + itoa(m.Serial) + ", replacing the state it had"
	}
	return plural(m.VMs, "VM") + " at serial " + itoa(m.Serial)
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// wordsOr writes "a, b or c".
func wordsOr(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// redacted is err with red's secrets removed from its text.
func redacted(red *workspace.Redactor, err error) error { return errors.New(red.String(err.Error())) }
