package driver_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// TestSettingChecks: each shared Check passes a good value and words its
// refusal of a bad one as the drivers' diagnostics always have.
func TestSettingChecks(t *testing.T) {
	cases := []struct {
		name  string
		check func(any) error
		v     any
		want  string // "" for none
	}{
		{"non-empty", driver.NonEmpty("pool"), "default", ""},
		{"empty", driver.NonEmpty("pool"), "", "pool must not be empty"},
		{"white space", driver.NonEmpty("setting template"), " \t", "setting template must not be empty"},
		{"set", driver.SetOrLeftOut("switch"), "LAN", ""},
		{"left empty", driver.SetOrLeftOut("switch"), " ", "setting switch must not be empty: leave it out for its default"},
		{"positive duration", driver.PositiveDuration("wait_timeout"), time.Second, ""},
		{"zero duration", driver.PositiveDuration("wait_timeout"), time.Duration(0), "wait_timeout must be more than 0"},
		{"negative duration", driver.PositiveDuration("wait_timeout"), -time.Second, "wait_timeout must be more than 0"},
		{"duration like", driver.PositiveDurationLike("setting shutdown_timeout", "30s"), time.Duration(0), `setting shutdown_timeout must be more than 0, such as "30s"`},
		{"positive number", driver.PositiveNumber("cpu_allocation_ratio"), 0.5, ""},
		{"zero number", driver.PositiveNumber("cpu_allocation_ratio"), 0.0, "cpu_allocation_ratio must be more than 0"},
		{"NaN", driver.PositiveNumber("cpu_allocation_ratio"), math.NaN(), "cpu_allocation_ratio must be more than 0"},
	}
	for _, tc := range cases {
		got := ""
		if err := tc.check(tc.v); err != nil {
			got = err.Error()
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.name, diff)
		}
	}
}

// TestRedactURL: what sits between "//" and "@" is hidden, and nothing
// else is changed.
func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://root:hunter2@xen-01.example.net": "https://…@xen-01.example.net",
		"root:p@ss@vcenter/sdk":                   "…@vcenter/sdk",
		"https://vcenter.example.net/sdk":         "https://vcenter.example.net/sdk",
	} {
		if got := driver.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEnvFallback: an unset setting takes its variable's value, a set one
// keeps its own, and a needed one missing from both is named with its
// variable.
func TestEnvFallback(t *testing.T) {
	env := driver.EnvFallback{Prefix: "NOVACRON_TEST_", Settings: []string{"url", "password"}}
	t.Setenv("NOVACRON_TEST_URL", "https://from-env")
	t.Setenv("NOVACRON_TEST_PASSWORD", "")
	in := driver.Config{"user": "root"}
	if got, want := env.Where(in, "url"), "NOVACRON_TEST_URL"; got != want {
		t.Errorf("Where = %q, want %q", got, want)
	}
	got := env.Fill(in)
	if diff := cmp.Diff(driver.Config{"user": "root", "url": "https://from-env"}, got); diff != "" {
		t.Errorf("Fill (-want +got)\n%s", diff)
	}
	if len(in) != 1 {
		t.Errorf("Fill changed its argument: %v", in)
	}
	if got := env.Fill(driver.Config{"url": "https://own"}).String("url"); got != "https://own" {
		t.Errorf("Fill replaced a set url with %q", got)
	}
	err := env.Require(got, driver.Needed{Setting: "url", What: "the address"}, driver.Needed{Setting: "password", What: "the password"})
	want := "the password is not set: set password in the provider block or the environment variable NOVACRON_TEST_PASSWORD"
	if err == nil || err.Error() != want {
		t.Errorf("Require = %v, want %q", err, want)
	}
}

// TestEnvFallbackResolve: the first setting's Check runs before the rest,
// its error naming the variable the value came from, or the setting.
func TestEnvFallbackResolve(t *testing.T) {
	env := driver.EnvFallback{Prefix: "NOVACRON_TEST_", Settings: []string{"url"}}
	settings := []driver.Setting{
		{Name: "url", Type: driver.String, Check: func(v any) error {
			if v.(string) == "bad" {
				return errors.New("not an address")
			}
			return nil
		}},
		{Name: "pool", Type: driver.String, Default: "default"},
	}
	t.Setenv("NOVACRON_TEST_URL", "bad")
	if _, err := env.Resolve(settings, driver.Config{}, "url"); err == nil || err.Error() != "NOVACRON_TEST_URL: not an address" {
		t.Errorf("a bad url from the environment: %v", err)
	}
	if _, err := env.Resolve(settings, driver.Config{"url": "bad"}, "url"); err == nil || err.Error() != "url: not an address" {
		t.Errorf("a bad url in the block: %v", err)
	}
	got, err := env.Resolve(settings, driver.Config{"url": "https://good"}, "url")
	if diff := cmp.Diff(driver.Config{"url": "https://good", "pool": "default"}, got); diff != "" || err != nil {
		t.Errorf("Resolve: %v (-want +got)\n%s", err, diff)
	}
}
