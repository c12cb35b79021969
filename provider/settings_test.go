package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

func TestParseSetting(t *testing.T) {
	cases := []struct {
		typ     driver.SettingType
		text    string
		want    any
		wantErr bool
	}{
		{driver.String, "qemu:///system", "qemu:///system", false},
		{driver.Int, " 12 ", int64(12), false},
		{driver.Int, "1.5", nil, true},
		{driver.Number, "0.25", 0.25, false},
		{driver.Bool, "true", true, false},
		{driver.Bool, "maybe", nil, true},
		{driver.Duration, "50ms", 50 * time.Millisecond, false},
		{driver.Duration, "-1s", nil, true},
		{driver.Number, "lots", nil, true},
		{driver.StringList, "hv-a, hv-b,,", []string{"hv-a", "hv-b"}, false},
		{driver.StringMap, "a=1, b = 2", map[string]string{"a": "1", "b": "2"}, false},
		{driver.StringMap, "a", nil, true},
	}
	for _, tc := range cases {
		got, err := parseSetting(driver.Setting{Name: "x", Type: tc.typ}, tc.text)
		if err != nil && strings.Contains(err.Error(), "strconv") {
			t.Errorf("%s %q: %v; want words a user knows, not Go's parser's", tc.typ, tc.text, err)
		}
		if (err != nil) != tc.wantErr {
			t.Errorf("%s %q: error %v, want error %v", tc.typ, tc.text, err, tc.wantErr)
			continue
		}
		if !tc.wantErr {
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("%s %q (-want +got):\n%s", tc.typ, tc.text, d)
			}
		}
	}
}

func TestTemplateConfig(t *testing.T) {
	settings := []driver.Setting{
		{Name: "image", Type: driver.String, Required: true},
		{Name: "disks", Type: driver.Int, Default: int64(1), Check: func(v any) error {
			if v.(int64) > 4 {
				return errTooMany
			}
			return nil
		}},
	}
	cases := map[string]struct {
		in      map[string]string
		want    driver.Config
		wantErr string
	}{
		"defaults":      {map[string]string{"image": "u"}, driver.Config{"image": "u", "disks": int64(1)}, ""},
		"typed":         {map[string]string{"image": "u", "disks": "3"}, driver.Config{"image": "u", "disks": int64(3)}, ""},
		"unknown key":   {map[string]string{"image": "u", "iso": "x"}, nil, `the template has no setting "iso"; this backend's templates take: image, disks`},
		"missing":       {map[string]string{"disks": "2"}, nil, "the template must set image ()"},
		"bad type":      {map[string]string{"image": "u", "disks": "two"}, nil, `template setting disks: disks must be a whole number; got "two"`},
		"check refuses": {map[string]string{"image": "u", "disks": "9"}, nil, "template setting disks: too many"},
	}
	for name, tc := range cases {
		got, err := templateConfig(settings, tc.in)
		if msg := errString(err); msg != tc.wantErr {
			t.Errorf("%s: error %q, want %q", name, msg, tc.wantErr)
		}
		if d := cmp.Diff(tc.want, got); tc.wantErr == "" && d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
}

// TestParseTemplateID: what templateConfig makes, TemplateRef.ID renders and
// parseTemplateID reads back (imports rely on it).
func TestParseTemplateID(t *testing.T) {
	for _, m := range []map[string]string{
		{"image": "ubuntu-22.04"},
		{"image": `a "quoted", odd=value`, "disks": "2"},
	} {
		settings := append(sim.Factory().TemplateSettings, driver.Setting{Name: "disks", Type: driver.Int})
		cfg, err := templateConfig(settings, m)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseTemplateID(driver.TemplateRef{Config: cfg}.ID())
		if d := cmp.Diff(m, got); !ok || d != "" {
			t.Errorf("round trip of %v (ok %v, -want +got):\n%s", m, ok, d)
		}
	}
	sealed := driver.TemplateRef{Config: driver.Config{"image": "u", "user_data": "secret"}, Sensitive: map[string]string{"user_data": "x"}}
	if got, ok := parseTemplateID(sealed.ID()); !ok || cmp.Diff(map[string]string{"image": "u"}, got) != "" {
		t.Errorf("parseTemplateID(%q) = %v, %v; want the image alone: a sealed setting is the configuration's", sealed.ID(), got, ok)
	}
	for _, id := range []string{"", "image", `image="unterminated`, `l=["a"]`, "user_data=sensitive:x"} {
		if _, ok := parseTemplateID(id); ok {
			t.Errorf("parseTemplateID(%q) succeeded; want failure", id)
		}
	}
}

type textErr string

func (e textErr) Error() string { return string(e) }

const errTooMany = textErr("too many")

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// A negative duration is refused as negative, not as a malformed duration.
func TestParseNegativeDuration(t *testing.T) {
	_, err := parseSetting(driver.Setting{Name: "shutdown_timeout", Type: driver.Duration}, "-5s")
	if err == nil || err.Error() != `shutdown_timeout must not be negative; got "-5s"` {
		t.Errorf("got %v", err)
	}
}
