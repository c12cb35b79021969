package main

import (
	"strings"
	"testing"
)

// A key, passphrase or password written into the novacron block (where
// it is not a setting) is never printed back in a diagnostic's snippet,
// whatever the command and whether or not the file parses.
func TestSecretsInTheNovacronBlockAreMasked(t *testing.T) {
	const key, pass, pw = "KEYSECRETXbHKAJ0", "PASSSECRETmysecret", "PWSECRETdbpass"
	specs := map[string]string{
		"encryption": "\nnovacron {\n  encryption {\n    required = true\n    key = \"" + key + "\"\n    passphrase = \"" + pass + "\"\n  }\n}\n",
		"backend":    "\nnovacron {\n  backend \"local\" {\n    password = \"" + pw + "\"\n    state_key = \"" + key + "\"\n  }\n}\n",
		"syntax":     "\nnovacron {\n  encryption {\n    key = \"" + key + "\" }}}\n    passphrase = \"" + pass + "\"\n  }\n}\n",
	}
	for name, block := range specs {
		dir := newDir(t, prefixSpec+block)
		for _, args := range [][]string{{"validate"}, {"plan"}, {"state", "list"}, {"history"}, {"workspace", "list"}} {
			r := novaEnv(t, dir, []string{"NOVA_STATE_KEY="}, args...)
			if r.Code != 1 {
				t.Errorf("%s: %v: exit %d, want 1:\n%s", name, args, r.Code, r.Stderr)
			}
			for _, s := range []string{key, pass, pw} {
				if strings.Contains(r.Stdout+r.Stderr, s) {
					t.Errorf("%s: %v printed the secret %s:\n%s", name, args, s, r.Stderr)
				}
			}
			if name == "encryption" && !strings.Contains(r.Stderr, "NOVA_STATE_KEY") {
				t.Errorf("%s: %v does not say keys go in NOVA_STATE_KEY:\n%s", name, args, r.Stderr)
			}
		}
	}
}
