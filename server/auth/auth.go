package auth

import (
	"context"
	"net/http"
	"time"
)

// Role is a set of permissions on a workspace.
type Role int

// The roles, each allowing what the one before it does and more.
const (
	NoRole   Role = iota
	Viewer        // reads: workspaces, VMs, plans, runs, history
	Operator      // and plans, applies, power actions, migrations, API VMs
	Admin         // and users and tokens
)

// Permission is one thing a request may do.
type Permission string

// The permissions, and the least role that has each.
const (
	Read    Permission = "read"    // Viewer
	Plan    Permission = "plan"    // Operator
	Apply   Permission = "apply"   // Operator
	Power   Permission = "power"   // Operator: start, stop, restart
	Migrate Permission = "migrate" // Operator
	Create  Permission = "create"  // Operator: API-owned VMs, create and delete
	Manage  Permission = "manage"  // Admin: users and tokens
)

// Principal is who a request is, and their roles.
type Principal struct {
	Name string // user or token name; a token's is "token:NAME"
	// Roles by workspace; "*" is every workspace.
	Roles map[string]Role
	// Expires is when the credential stops working; zero for an API
	// token that never expires.
	Expires time.Time
	// Cookie is set when the request was authenticated by the
	// nova_session cookie: a mutating request must then also carry the
	// X-Nova-CSRF header (the API checks it).
	Cookie bool
}

// Can reports whether p has perm on workspace ("" for estate-wide
// permissions, which only "*" roles grant).
func (p *Principal) Can(perm Permission, workspace string) bool {
	if p == nil {
		return false
	}
	need := least[perm]
	if need == NoRole {
		return false
	}
	if workspace != "" && p.Roles[workspace] >= need {
		return true
	}
	return p.Roles["*"] >= need
}

// least is the least role that has each permission.
var least = map[Permission]Role{
	Read: Viewer, Plan: Operator, Apply: Operator, Power: Operator, Migrate: Operator, Create: Operator, Manage: Admin,
}

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the request's principal, nil when it is not authenticated.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// Authenticator checks credentials: the Authorization header's bearer
// token (a login token or an API token) or the dashboard's session cookie.
type Authenticator interface {
	// Login checks a user's password (rate limited by user and by
	// client) and returns a signed token and when it expires.
	Login(ctx context.Context, user, password, client string) (token string, p *Principal, err error)
	// Authenticate returns the request's principal, or an error that
	// must not be shown to the client beyond "401".
	Authenticate(r *http.Request) (*Principal, error)
}
