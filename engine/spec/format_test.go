package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{{
		name: "aligns equals signs and indents",
		in: `fleet "web" {
count=3
    template = template.ubuntu-22.04
  memory_gb    =   16
tags = {tier="web", env   = "prod"}
}
`,
		want: `fleet "web" {
  count     = 3
  template  = template.ubuntu-22.04
  memory_gb = 16
  tags      = { tier = "web", env = "prod" }
}
`,
	}, {
		name: "nested blocks",
		in: `fleet "web" {
rollout {
batch_size=2
max_unavailable=1
}
}
`,
		want: `fleet "web" {
  rollout {
    batch_size      = 2
    max_unavailable = 1
  }
}
`,
	}, {
		name: "already canonical",
		in:   "vm \"db-01\" {\n  cpu = 8 # pinned\n}\n",
		want: "vm \"db-01\" {\n  cpu = 8 # pinned\n}\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, diags := Format([]byte(tt.in), "x.nova.hcl")
			if diags.HasErrors() {
				t.Fatalf("Format: %s", renderDiags(diags, ""))
			}
			if diff := cmp.Diff(tt.want, string(out)); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
			again, _ := Format(out, "x.nova.hcl")
			if diff := cmp.Diff(string(out), string(again)); diff != "" {
				t.Errorf("Format is not idempotent (-first +second):\n%s", diff)
			}
		})
	}
}

func TestFormatRefusesSyntaxErrors(t *testing.T) {
	out, diags := Format([]byte("fleet \"web\" {\n  cpu = = 4\n}\n"), "x.nova.hcl")
	if out != nil {
		t.Errorf("Format returned output for a syntax error: %q", out)
	}
	if !diags.HasErrors() {
		t.Fatal("Format: want a syntax error")
	}
	subjectAt(t, diags[0], "x.nova.hcl", 2)
}
