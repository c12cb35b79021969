package hyperv

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// TestEndpointURL: url and host+port give the WinRM URL; host written in
// the block wins over NOVACRON_HYPERV_URL; url and host both written is
// an error.
func TestEndpointURL(t *testing.T) {
	base := driver.Config{settingUsername: "u", settingPassword: "p"}
	for _, tc := range []struct {
		name    string
		set     driver.Config
		env     string
		want    string // URL or error text
		wantErr bool
	}{
		{"url", driver.Config{settingURL: "https://hv1.example.net/wsman"}, "", "https://hv1.example.net:5986/wsman", false},
		{"url without path", driver.Config{settingURL: "https://hv1:6000"}, "", "https://hv1:6000/wsman", false},
		{"host", driver.Config{settingHost: "hv1.example.net"}, "", "https://hv1.example.net:5986/wsman", false},
		{"host and port", driver.Config{settingHost: "hv1", settingPort: int64(443)}, "", "https://hv1:443/wsman", false},
		{"host over the environment's url", driver.Config{settingHost: "hv2"}, "https://hv1/wsman", "https://hv2:5986/wsman", false},
		{"url from the environment", driver.Config{}, "https://hv1/wsman", "https://hv1:5986/wsman", false},
		{"url and host", driver.Config{settingURL: "https://hv1/wsman", settingHost: "hv2"}, "", "set url or host, not both", true},
		{"other path", driver.Config{settingURL: "https://hv1/api"}, "", "the path must be /wsman", true},
		{"none", driver.Config{}, "", "set url (https://HOST:5986/wsman) or host", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvName(settingURL), tc.env)
			c := driver.Config{}
			for k, v := range base {
				c[k] = v
			}
			for k, v := range tc.set {
				c[k] = v
			}
			cfg, err := resolveConfig(c)
			switch {
			case tc.wantErr && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one with %q", err, tc.want)
			case !tc.wantErr && err != nil:
				t.Errorf("error %v", err)
			case !tc.wantErr && cfg.url.String() != tc.want:
				t.Errorf("url %s, want %s", cfg.url, tc.want)
			}
		})
	}
}
