package auth

import (
	"fmt"
	"testing"
)

func TestCan(t *testing.T) {
	perms := []Permission{Read, Plan, Apply, Power, Migrate, Create, Manage}
	// allowed[role] is the permissions the role grants.
	allowed := map[Role]map[Permission]bool{
		NoRole:   {},
		Viewer:   {Read: true},
		Operator: {Read: true, Plan: true, Apply: true, Power: true, Migrate: true, Create: true},
		Admin:    {Read: true, Plan: true, Apply: true, Power: true, Migrate: true, Create: true, Manage: true},
	}
	for _, role := range []Role{NoRole, Viewer, Operator, Admin} {
		for _, perm := range perms {
			want := allowed[role][perm]
			cases := []struct {
				name  string
				roles map[string]Role
				ws    string
				want  bool
			}{
				{"on the workspace", map[string]Role{"prod": role}, "prod", want},
				{"on another workspace", map[string]Role{"dev": role}, "prod", false},
				{"on every workspace", map[string]Role{"*": role}, "prod", want},
				{"estate-wide from *", map[string]Role{"*": role}, "", want},
				{"estate-wide from a workspace role", map[string]Role{"prod": role}, "", false},
				{"a lesser * does not cap the workspace", map[string]Role{"*": Viewer, "prod": role}, "prod", want || allowed[Viewer][perm]},
				{"a lesser workspace role does not cap *", map[string]Role{"*": role, "prod": Viewer}, "prod", want || allowed[Viewer][perm]},
			}
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s/%s/%s", role, perm, c.name), func(t *testing.T) {
					p := &Principal{Name: "p", Roles: c.roles}
					if got := p.Can(perm, c.ws); got != c.want {
						t.Errorf("Can(%s, %q) with roles %v = %v, want %v", perm, c.ws, c.roles, got, c.want)
					}
				})
			}
		}
	}
}

func TestCanRefusesNilAndUnknown(t *testing.T) {
	var nilP *Principal
	if nilP.Can(Read, "prod") {
		t.Error("a nil principal can read")
	}
	admin := &Principal{Roles: map[string]Role{"*": Admin}}
	if admin.Can(Permission("format-disks"), "prod") {
		t.Error("an unknown permission is granted to an admin")
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range []Role{Viewer, Operator, Admin} {
		got, err := ParseRole(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r.String(), got, err)
		}
	}
	for _, s := range []string{"", "none", "Admin", "root"} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
}
