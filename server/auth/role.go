package auth

import "fmt"

// roleNames are the roles as the users file and the CLI write them.
var roleNames = map[Role]string{Viewer: "viewer", Operator: "operator", Admin: "admin"}

// String is the role's name: viewer, operator or admin ("none" for
// NoRole).
func (r Role) String() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return "none"
}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if n == s {
			return r, nil
		}
	}
	return NoRole, fmt.Errorf("unknown role %q: use viewer, operator or admin", s)
}

// AllWorkspaces is the workspace key of a role on every workspace.
const AllWorkspaces = "*"
