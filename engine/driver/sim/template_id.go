package sim

import (
	"maps"

	"github.com/novacron/novacron/engine/driver"
)

// templateMemo is the ID of the template the last create named and the
// settings it was made of: the VMs of a fleet name one template, and
// TemplateRef.ID sorts and formats the settings every time.
type templateMemo struct {
	config    driver.Config
	sensitive map[string]string
	id        string
}

// templateID returns t.ID(), made again only when t's settings differ from
// those of the last call; the caller holds d.mu.
func (d *Driver) templateID(t driver.TemplateRef) string {
	m := &d.lastTemplate
	if m.config == nil || !sameSettings(m.config, t.Config) || !maps.Equal(m.sensitive, t.Sensitive) {
		*m = templateMemo{config: maps.Clone(t.Config), sensitive: maps.Clone(t.Sensitive), id: t.ID()}
	}
	return m.id
}

// sameSettings reports whether a and b hold the same settings; a value of
// a type other than those compared here counts as different, so that the
// memo never stands for settings it cannot compare.
func sameSettings(a, b driver.Config) bool {
	return maps.EqualFunc(a, b, func(x, y any) bool {
		switch x := x.(type) {
		case string:
			y, ok := y.(string)
			return ok && x == y
		case int64:
			y, ok := y.(int64)
			return ok && x == y
		case float64:
			y, ok := y.(float64)
			return ok && x == y
		case bool:
			y, ok := y.(bool)
			return ok && x == y
		}
		return false
	})
}
