package sim

import (
	"context"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// Every create reports its own template's ID, however the templates of
// consecutive creates differ: the memo of the last one never stands for
// another, even one changed in place or holding values it cannot compare.
func TestCreateReportsEachTemplatesID(t *testing.T) {
	shared := driver.Config{"image": "a"}
	steps := []struct {
		name   string
		tmpl   func() driver.TemplateRef
		mutate func()
	}{
		{name: "first", tmpl: func() driver.TemplateRef { return driver.TemplateRef{Name: "t", Config: shared} }},
		{name: "same map again", tmpl: func() driver.TemplateRef { return driver.TemplateRef{Name: "t", Config: shared} }},
		{name: "same map changed in place", mutate: func() { shared["image"] = "b" },
			tmpl: func() driver.TemplateRef { return driver.TemplateRef{Name: "t", Config: shared} }},
		{name: "equal copy", tmpl: func() driver.TemplateRef { return driver.TemplateRef{Config: driver.Config{"image": "b"}} }},
		{name: "one more setting", tmpl: func() driver.TemplateRef {
			return driver.TemplateRef{Config: driver.Config{"image": "b", "size": int64(3)}}
		}},
		{name: "number type differs", tmpl: func() driver.TemplateRef {
			return driver.TemplateRef{Config: driver.Config{"image": "b", "size": float64(3)}}
		}},
		{name: "sensitive digest", tmpl: func() driver.TemplateRef {
			return driver.TemplateRef{Config: driver.Config{"image": "b", "size": float64(3)}, Sensitive: map[string]string{"size": "d1"}}
		}},
		{name: "another digest", tmpl: func() driver.TemplateRef {
			return driver.TemplateRef{Config: driver.Config{"image": "b", "size": float64(3)}, Sensitive: map[string]string{"size": "d2"}}
		}},
		{name: "list value", tmpl: func() driver.TemplateRef {
			return driver.TemplateRef{Config: driver.Config{"image": "b", "keys": []string{"k1"}}}
		}},
		{name: "list value changed", tmpl: func() driver.TemplateRef {
			return driver.TemplateRef{Config: driver.Config{"image": "b", "keys": []string{"k2"}}}
		}},
		{name: "back to the first", tmpl: func() driver.TemplateRef { return driver.TemplateRef{Config: driver.Config{"image": "a"}} }},
	}
	d := open(t, t.TempDir(), nil)
	for _, st := range steps {
		if st.mutate != nil {
			st.mutate()
		}
		s := spec(st.name, "")
		s.Template = st.tmpl()
		vm, err := d.Create(context.Background(), s)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if want := s.Template.ID(); vm.Template != want {
			t.Errorf("%s: VM template %q, want %q", st.name, vm.Template, want)
		}
	}
}
