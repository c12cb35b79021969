package driver_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

func TestErrorKinds(t *testing.T) {
	cases := []struct {
		err  error
		kind driver.Kind
		is   error
	}{
		{driver.Errorf(driver.KindTransient, "busy"), driver.KindTransient, driver.ErrTransient},
		{fmt.Errorf("op: %w", driver.Errorf(driver.KindNotFound, "no vm")), driver.KindNotFound, driver.ErrNotFound},
		{driver.Wrap(driver.KindCapacity, errors.New("full")), driver.KindCapacity, driver.ErrCapacity},
		{errors.New("plain"), driver.KindPermanent, nil},
	}
	for _, c := range cases {
		if got := driver.KindOf(c.err); got != c.kind {
			t.Errorf("KindOf(%v) = %v, want %v", c.err, got, c.kind)
		}
		if c.is != nil && !errors.Is(c.err, c.is) {
			t.Errorf("errors.Is(%v, %v) = false", c.err, c.is)
		}
		if errors.Is(c.err, driver.ErrPermanent) != (c.kind == driver.KindPermanent && c.is != nil) {
			t.Errorf("errors.Is(%v, ErrPermanent) is wrong", c.err)
		}
	}
	if driver.Wrap(driver.KindTransient, nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
}

func TestMarkerTagsRoundTrip(t *testing.T) {
	m := driver.Marker{Address: "fleet.web[2]", Lineage: "lin", SpecHash: "abc"}
	tags := m.Tags()
	tags["team"] = "web"
	tags["novacron:future"] = "ignored"
	got, user := driver.MarkerFromTags(tags)
	if got == nil || *got != m {
		t.Errorf("marker = %+v, want %+v", got, m)
	}
	if diff := cmp.Diff(map[string]string{"team": "web"}, user); diff != "" {
		t.Errorf("user tags (-want +got):\n%s", diff)
	}
	if none, _ := driver.MarkerFromTags(map[string]string{"a": "b"}); none != nil {
		t.Errorf("unmarked tags gave marker %+v", none)
	}
}

func TestTemplateIDIsCanonical(t *testing.T) {
	a := driver.TemplateRef{Name: "x", Config: driver.Config{"volume": "u.qcow2", "pool": "default", "size": int64(3)}}
	b := driver.TemplateRef{Name: "y", Config: driver.Config{"size": int64(3), "pool": "default", "volume": "u.qcow2"}}
	if a.ID() != b.ID() || a.ID() != `pool="default",size=3,volume="u.qcow2"` {
		t.Errorf("IDs %q and %q; want equal and canonical", a.ID(), b.ID())
	}
	c := driver.TemplateRef{Config: driver.Config{"tags": map[string]string{"b": "2", "a": "1"}, "list": []string{"x"}}}
	if got, want := c.ID(), `list=["x"],tags={"a":"1","b":"2"}`; got != want {
		t.Errorf("ID = %q, want %q", got, want)
	}
}

func TestConfigGetters(t *testing.T) {
	c := driver.Config{"s": "v", "i": int64(4), "f": 1.5, "b": true, "d": 2 * time.Second,
		"m": map[string]string{"k": "v"}, "l": []string{"a"}, "pw": "secret"}
	if c.String("s") != "v" || c.Int("i") != 4 || c.Number("f") != 1.5 || c.Number("i") != 4 || !c.Bool("b") ||
		c.Duration("d") != 2*time.Second || c.StringMap("m")["k"] != "v" || c.StringList("l")[0] != "a" {
		t.Errorf("getters returned wrong values for %v", c)
	}
	if c.String("missing") != "" || c.Int("s") != 0 {
		t.Error("absent or mistyped settings must read as zero")
	}
	red := c.Redacted([]driver.Setting{{Name: "pw", Sensitive: true}})
	if red["pw"] == "secret" || c["pw"] != "secret" {
		t.Errorf("Redacted: %v (original %v)", red["pw"], c["pw"])
	}
}

func TestRegistry(t *testing.T) {
	var r driver.Registry
	r.Register(driver.Factory{Type: "b"})
	r.Register(driver.Factory{Type: "a"})
	if diff := cmp.Diff([]string{"a", "b"}, r.Types()); diff != "" {
		t.Errorf("Types (-want +got):\n%s", diff)
	}
	if _, ok := r.Lookup("c"); ok {
		t.Error("Lookup of an unregistered type succeeded")
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a type twice did not panic")
		}
	}()
	r.Register(driver.Factory{Type: "a"})
}
