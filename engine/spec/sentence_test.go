package spec_test

import (
	"testing"

	"github.com/novacron/novacron/engine/spec"
)

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"host full":                      "Host full.",
		"Host full.":                     "Host full.",
		"is it?":                         "Is it?",
		"var.token is empty":             "var.token is empty.",
		"fleet.web[0] failed":            "fleet.web[0] failed.",
		"éclair":                         "éclair.",
		"create failed: simulated fault": "Create failed: simulated fault.",
		"ca_file /x.pem cannot be used":  "ca_file /x.pem cannot be used.",
		"connect_timeout must be > 0":    "connect_timeout must be > 0.",
		"url: uses http":                 "url: uses http.",
	} {
		if got := spec.Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}
