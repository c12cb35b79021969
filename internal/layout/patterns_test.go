package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPatternsAtFirstUse: a package-level pattern compiled at start-up
// under engine/, server/ or cmd/ breaks patterns-at-first-use, and one
// under state/ the pending state rule; patterns compiled in a function,
// behind sync.OnceValue or by internal/lazyregexp, and packages elsewhere,
// do not.
func TestPatternsAtFirstUse(t *testing.T) {
	const eager = "package p\nimport re \"regexp\"\nvar (\n\ta = 1\n\tname = re.MustCompile(`^a+$`)\n)\nvar list = []*re.Regexp{re.MustCompilePOSIX(`b`)}\n"
	const lazy = "package p\nimport (\n\"regexp\"\n\"sync\"\n\"example.com/m/internal/lazyregexp\"\n)\n" +
		"var once = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^a$`) })\n" +
		"var wrapped = lazyregexp.New(`^b$`)\n" +
		"func f() *regexp.Regexp { return regexp.MustCompile(`c`) }\n" +
		"var regexp2 = struct{ MustCompile func(string) }{}\nvar _ = regexp2\n"
	tests := []struct {
		name  string
		graph string
		files map[string]string
		want  []string
	}{{
		name:  "eager patterns in the packages nova-plan links",
		graph: "engine/spec:\nserver/api:\ncmd/nova-plan:\nstate/pg:",
		files: map[string]string{"engine/spec": eager, "server/api": eager, "cmd/nova-plan": eager, "state/pg": eager},
		want: []string{
			"patterns-at-first-use engine/spec: engine/spec/x.go:5 compiles a pattern at start-up (re.MustCompile)",
			"patterns-at-first-use engine/spec: engine/spec/x.go:7 compiles a pattern at start-up (re.MustCompilePOSIX)",
			"patterns-at-first-use server/api: server/api/x.go:5 compiles a pattern at start-up (re.MustCompile)",
			"patterns-at-first-use server/api: server/api/x.go:7 compiles a pattern at start-up (re.MustCompilePOSIX)",
			"patterns-at-first-use cmd/nova-plan: cmd/nova-plan/x.go:5 compiles a pattern at start-up (re.MustCompile)",
			"patterns-at-first-use cmd/nova-plan: cmd/nova-plan/x.go:7 compiles a pattern at start-up (re.MustCompilePOSIX)",
			"state-patterns-at-first-use state/pg: state/pg/x.go:5 compiles a pattern at start-up (re.MustCompile)",
			"state-patterns-at-first-use state/pg: state/pg/x.go:7 compiles a pattern at start-up (re.MustCompilePOSIX)",
		},
	}, {
		name:  "patterns compiled at first use, and packages nova-plan does not link",
		graph: "engine/spec:\nstate:\ninternal/gcetest:\nprovider:",
		files: map[string]string{"engine/spec": lazy, "state": lazy, "internal/gcetest": eager, "provider": eager},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range check(fakeTree(t, tt.graph, tt.files)) {
				if v.rule.name == "patterns-at-first-use" || v.rule.name == "state-patterns-at-first-use" {
					got = append(got, v.rule.name+" "+v.String())
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
}
