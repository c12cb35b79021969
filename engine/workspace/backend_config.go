package workspace

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// ConnStrEnv is the environment variable that gives the pg backend its
// connection string, so that a password need not be written in the spec.
const ConnStrEnv = "NOVA_PG_CONN_STR"

// BackendOptions say where a backend's settings come from besides the
// spec: -backend-config wins over the environment, which wins over the
// spec.
type BackendOptions struct {
	Config []Setting // -backend-config KEY=VALUE, in command-line order
	Env    []string  // the environment: NOVA_PG_CONN_STR, NOVA_WORKSPACE, NOVA_STATE_KEY, …
	// Sealer, when set, is the backend's instead of the one of Env's
	// NOVA_STATE_KEY or NOVA_STATE_PASSPHRASE (state rekey's
	// encryption.Rekey).
	Sealer state.Sealer
	// NoDocuments is set for a command that never reads or writes a state
	// document (history, state locks, workspace list): it runs without a
	// key even when the spec requires encryption.
	NoDocuments bool
}

// Setting is one KEY=VALUE of -backend-config.
type Setting struct{ Key, Value string }

// ResolveBackend returns the backend settings in effect: the spec's,
// overridden by NOVA_PG_CONN_STR (for pg), overridden by -backend-config.
// A -backend-config key the type does not take is an error naming it; a
// password written in the spec's conn_str is a warning (never quoting it).
func ResolveBackend(cfg *spec.BackendConfig, o BackendOptions) (*spec.BackendConfig, hcl.Diagnostics) {
	out := *cfg
	out.Settings = maps.Clone(cfg.Settings)
	diags := specPasswordWarning(cfg)
	known, _ := spec.BackendSettings(cfg.Type)
	if v, ok := envValue(o.Env, ConnStrEnv); ok && v != "" && slices.Contains(known, "conn_str") {
		out.Settings["conn_str"] = v
	}
	for _, s := range o.Config {
		if !slices.Contains(known, s.Key) {
			diags = append(diags, unknownConfigKey("-backend-config", cfg.Type, s.Key, known))
			continue
		}
		if d := emptySetting("-backend-config", s); d != nil {
			diags = append(diags, d)
			continue
		}
		out.Settings[s.Key] = s.Value
	}
	trimConnStr(out.Settings)
	if out.Type == "pg" && out.Settings["schema"] == "" && !diags.HasErrors() {
		diags = append(diags, needsSchema(&out, "in the backend block, or -backend-config=schema=web_prod"))
	}
	return &out, diags
}

// needsSchema is the error of a pg backend without a schema. There is no
// default: two specs that left it out would share one schema's
// workspaces, and one would destroy the other's VMs.
func needsSchema(cfg *spec.BackendConfig, how string) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing schema",
		Detail: "the pg backend needs a schema: give each spec its own, e.g. schema = \"web_prod\" " + how + ". " +
			"Specs that share a schema share its workspaces, so a plan of one would destroy the other's VMs."}
	if cfg.DeclRange.Filename != "" {
		d.Subject = cfg.DeclRange.Ptr()
	}
	return d
}

// emptySetting refuses a setting given with flag with an empty value: it
// would otherwise fall back to another value without a word.
func emptySetting(flag string, s Setting) *hcl.Diagnostic {
	if strings.TrimSpace(s.Value) != "" {
		return nil
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid backend setting",
		Detail: fmt.Sprintf("%s=%s= gives %s an empty value. Give it a value, or leave %s=%s= out to use the spec's (or, for conn_str, %s).",
			flag, s.Key, s.Key, flag, s.Key, ConnStrEnv)}
}

// trimConnStr removes the whitespace around conn_str (a heredoc's or a
// shell variable's trailing newline), which the driver would report as
// something else.
func trimConnStr(settings map[string]string) {
	if v, ok := settings["conn_str"]; ok {
		settings["conn_str"] = strings.TrimSpace(v)
	}
}

// CheckSettings refuses settings a backend type does not take, as given
// with flag (a -from-config): the type, then each key.
func CheckSettings(flag, typ string, settings []Setting) hcl.Diagnostics {
	known, ok := spec.BackendSettings(typ)
	if !ok {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown backend type",
			Detail: fmt.Sprintf("There is no backend %q; the backend types are %s.", typ, strings.Join(spec.BackendTypes(), ", "))}}
	}
	var diags hcl.Diagnostics
	given := map[string]bool{}
	for _, s := range settings {
		if !slices.Contains(known, s.Key) {
			diags = append(diags, unknownConfigKey(flag, typ, s.Key, known))
		} else if d := emptySetting(flag, s); d != nil {
			diags = append(diags, d)
		}
		given[s.Key] = true
	}
	if typ != "pg" || diags.HasErrors() {
		return diags
	}
	if !given["conn_str"] {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "The old backend needs a connection string",
			Detail: fmt.Sprintf("Give the old database's connection string with %s=conn_str=…: %s and -backend-config are the new backend's settings.", flag, ConnStrEnv)})
	}
	if !given["schema"] {
		diags = append(diags, needsSchema(&spec.BackendConfig{}, "with "+flag+"=schema=web_prod, the old backend's schema"))
	}
	return diags
}

func unknownConfigKey(flag, typ, key string, known []string) *hcl.Diagnostic {
	detail := fmt.Sprintf("%s sets %q, but the %s backend takes no settings.", flag, key, typ)
	if len(known) > 0 {
		detail = fmt.Sprintf("%s sets %q, but the %s backend's settings are %s.", flag, key, typ, strings.Join(known, ", "))
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown backend setting", Detail: detail}
}

// specPasswordWarning warns about a password written in the spec.
func specPasswordWarning(cfg *spec.BackendConfig) hcl.Diagnostics {
	if connPassword(cfg.Settings["conn_str"]) == "" {
		return nil
	}
	r := cfg.Ranges["conn_str"]
	return hcl.Diagnostics{{
		Severity: hcl.DiagWarning, Summary: "A password in the spec",
		Detail: "conn_str holds a password, which is then committed with the spec. Leave conn_str out of the spec and give it through " +
			ConnStrEnv + " or -backend-config=conn_str=…; nova-plan never prints the password.",
		Subject: r.Ptr(),
	}}
}

// envValue returns the value of key in env (KEY=VALUE entries); the last
// one wins, as in the process environment.
func envValue(env []string, key string) (string, bool) {
	val, found := "", false
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			val, found = v, true
		}
	}
	return val, found
}
