package spec

import "testing"

func TestDriftRulesIgnores(t *testing.T) {
	r := DriftRules{Ignore: []string{"power", "tags.owner"}}
	all := DriftRules{Ignore: []string{"tags"}}
	cases := []struct {
		rules DriftRules
		path  string
		want  bool
	}{
		{r, "power", true}, {r, "tags.owner", true}, {r, "tags.tier", false}, {r, "cpu", false},
		{all, "tags.owner", true}, {all, "tags.x.y", true}, {all, "tagsx", false}, {DriftRules{}, "power", false},
	}
	for _, tc := range cases {
		if got := tc.rules.Ignores(tc.path); got != tc.want {
			t.Errorf("%v.Ignores(%q) = %v, want %v", tc.rules.Ignore, tc.path, got, tc.want)
		}
	}
}
