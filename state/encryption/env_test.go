package encryption

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseKey: hex and every base64 spelling of 32 bytes are read; any
// other shape is an error naming the variable and the shape expected,
// never the value.
func TestParseKey(t *testing.T) {
	key := []byte("0123456789abcdef0123456789ABCDEF")
	for _, text := range []string{
		hex.EncodeToString(key), strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key), base64.RawStdEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key), " " + base64.StdEncoding.EncodeToString(key) + "\n",
	} {
		got, err := ParseKey(text, EnvKey)
		if err != nil || string(got) != string(key) {
			t.Errorf("ParseKey(%q) = %x, %v", text, got, err)
		}
	}
	for _, tc := range []struct{ text, want string }{
		{"", "NOVA_STATE_KEY is set but empty: " + keyShape + "; unset it to store the state unencrypted"},
		{hex.EncodeToString(key[:31]), "NOVA_STATE_KEY is hex of 31 bytes, not 32: " + keyShape},
		{base64.StdEncoding.EncodeToString(key[:16]), "NOVA_STATE_KEY is base64 of 16 bytes, not 32: " + keyShape},
		{"hunter2!hunter2!", "NOVA_STATE_KEY is neither hex nor base64 (its value is 16 characters long): " + keyShape},
	} {
		_, err := ParseKey(tc.text, EnvKey)
		if err == nil {
			t.Errorf("ParseKey(%q): no error", tc.text)
			continue
		}
		if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
			t.Errorf("ParseKey(%q) (-want +got):\n%s", tc.text, diff)
		}
		if tc.text != "" && strings.Contains(err.Error(), tc.text) {
			t.Errorf("the error quotes the value: %v", err)
		}
	}
}

// TestFromEnv: no variable is no Sealer; a key, a passphrase each make
// one; both, or a short passphrase, are errors that quote no value.
func TestFromEnv(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789ABCDEF"))
	s, err := FromEnv([]string{"HOME=/root", "NOVA_STATE_KEYS=x"})
	if s != nil || err != nil {
		t.Errorf("FromEnv without a key = %v, %v; want nil, nil", s, err)
	}
	if s, err := FromEnv([]string{"NOVA_STATE_KEY=" + key}); err != nil || s.fixed == nil {
		t.Errorf("FromEnv(key) = %v, %v", s, err)
	}
	if s, err := FromEnv([]string{"NOVA_STATE_PASSPHRASE=a long passphrase"}); err != nil || s.passphrase == "" {
		t.Errorf("FromEnv(passphrase) = %v, %v", s, err)
	}
	if s, err := NewFromEnv([]string{"NOVA_STATE_KEY=" + key, "NOVA_STATE_NEW_PASSPHRASE=another passphrase"}); err != nil || s.varName != EnvNewPassphrase {
		t.Errorf("NewFromEnv = %v, %v; want the sealer of NOVA_STATE_NEW_PASSPHRASE", s, err)
	}
	for env, want := range map[string]string{
		"NOVA_STATE_KEY=" + key + "\x00NOVA_STATE_PASSPHRASE=long enough pass": "both NOVA_STATE_KEY and NOVA_STATE_PASSPHRASE are set: set one of them (a key, or a passphrase to derive the key from)",
		"NOVA_STATE_PASSPHRASE=short":                                          "NOVA_STATE_PASSPHRASE is 5 characters long: a passphrase needs at least 8 (longer is better), or use a random key in NOVA_STATE_KEY",
	} {
		_, err := FromEnv(strings.Split(env, "\x00"))
		if err == nil {
			t.Errorf("FromEnv(%q): no error", env)
			continue
		}
		if diff := cmp.Diff(want, err.Error()); diff != "" {
			t.Errorf("FromEnv (-want +got):\n%s", diff)
		}
	}
}
