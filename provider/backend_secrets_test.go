package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
)

// TestBackendSecretsNotInDiagnostics: Terraform keeps the variables, but
// the provider's own diagnostics must never show a setting the driver
// declares sensitive: not a refused value (a sensitive duration from the
// environment said `got "…"`), nor a driver's error on opening that quotes
// it (as the spec face removes it: spec.Spec.Redactor).
func TestBackendSecretsNotInDiagnostics(t *testing.T) {
	const pw, dur = "HUNTER2-BACKEND-PW", "HUNTER2-DURATION"
	t.Run("refused value", func(t *testing.T) {
		s := driver.Setting{Name: "token_ttl", Type: driver.Duration, Sensitive: true, Description: "how long a token lives"}
		t.Setenv(envName("test", s.Name), dur)
		var diags diag.Diagnostics
		readSettings(context.Background(), "test", []driver.Setting{s}, map[string]attr.Value{s.Name: types.StringNull()}, path.Empty(), driver.Config{}, &diags)
		mustHide(t, diags, dur, "Invalid value for token_ttl")
	})
	t.Run("opening the driver", func(t *testing.T) {
		f := driver.Factory{
			Type:     "leaky",
			Settings: []driver.Setting{{Name: "password", Type: driver.String, Sensitive: true}},
			Open: func(_ context.Context, req driver.OpenRequest) (driver.Driver, error) {
				return nil, fmt.Errorf("login refused for password %q", req.Config.String("password"))
			},
		}
		b := &backend{name: "l", typ: f.Type, factory: f, config: driver.Config{"password": pw}, dataDir: t.TempDir()}
		_, diags := openSession(context.Background(), &backends{byName: map[string]*backend{"l": b}}, "l", path.Root("backend"))
		mustHide(t, diags, pw, "Cannot open backend l")
	})
}

// mustHide fails unless diags has an error with the summary and no
// diagnostic shows secret.
func mustHide(t *testing.T, diags diag.Diagnostics, secret, summary string) {
	t.Helper()
	var text strings.Builder
	found := false
	for _, d := range diags {
		text.WriteString(d.Summary() + ": " + d.Detail() + "\n")
		found = found || d.Summary() == summary
	}
	if !found {
		t.Errorf("no %q among:\n%s", summary, text.String())
	}
	if strings.Contains(text.String(), secret) {
		t.Errorf("a diagnostic shows the sensitive value:\n%s", text.String())
	}
}
