package auth

import (
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
)

// UsersPath is where the users file of the estate at root is kept.
func UsersPath(root string) string {
	return filepath.Join(root, ".nova", "server", "users.json")
}

// Users is the users file: who may log in, and the API tokens.
type Users struct {
	Users  []User
	Tokens []Token
}

// User is one user.
type User struct {
	Name         string
	PasswordHash string          // a PHC string: argon2id or bcrypt
	Roles        map[string]Role // by workspace; "*" is every workspace
	Disabled     bool
	// Generation is a random value made new when the user is added, their
	// password set or they are disabled: a login token names the
	// generation it was issued under and is refused once it changed, so
	// none outlives a password change, a removal (a user added again under
	// the name has a new one) or a disabling.
	Generation string
	hash       *passwordHash
}

// Token is one API token. Only the SHA-256 of the token is kept.
type Token struct {
	Name    string
	SHA256  string // lowercase hex
	Roles   map[string]Role
	Created time.Time
	Expires time.Time // zero: never
}

// User returns the user called name, or nil.
func (u *Users) User(name string) *User {
	for i := range u.Users {
		if u.Users[i].Name == name {
			return &u.Users[i]
		}
	}
	return nil
}

// Token returns the token called name, or nil.
func (u *Users) Token(name string) *Token {
	for i := range u.Tokens {
		if u.Tokens[i].Name == name {
			return &u.Tokens[i]
		}
	}
	return nil
}

// FileError is a problem with the users file: the file, the field and
// what is wrong. It never quotes a hash.
type FileError struct {
	Path    string
	Field   string // users[0].roles["prod"]; "" for the whole file
	Problem string
}

func (e *FileError) Error() string {
	if e.Field == "" {
		return e.Path + ": " + e.Problem
	}
	return e.Path + ": " + e.Field + ": " + e.Problem
}

// usersDoc is the users file as JSON.
type usersDoc struct {
	Users  []userDoc  `json:"users"`
	Tokens []tokenDoc `json:"tokens"`
}

type userDoc struct {
	Name         string            `json:"name"`
	PasswordHash string            `json:"password_hash"`
	Roles        map[string]string `json:"roles"`
	Disabled     bool              `json:"disabled,omitempty"`
	Generation   string            `json:"generation,omitempty"`
}

type tokenDoc struct {
	Name    string            `json:"name"`
	SHA256  string            `json:"sha256"`
	Roles   map[string]string `json:"roles"`
	Created time.Time         `json:"created"`
	Expires *time.Time        `json:"expires,omitempty"`
}

// fromDoc checks the document and returns its users, or the first
// problem found, naming its field.
func fromDoc(path string, d *usersDoc) (*Users, error) {
	out := &Users{}
	bad := func(field, format string, args ...any) error {
		return &FileError{Path: path, Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	for i, ud := range d.Users {
		field := fmt.Sprintf("users[%d]", i)
		if err := CheckName(ud.Name); err != nil {
			return nil, bad(field+".name", "%v", err)
		}
		if out.User(ud.Name) != nil {
			return nil, bad(field+".name", "a second user called %q", ud.Name)
		}
		h, err := parseHash(ud.PasswordHash)
		if err != nil {
			return nil, bad(field+".password_hash", "%v", err)
		}
		roles, err := rolesFromDoc(ud.Roles, func(ws string) string { return fmt.Sprintf("%s.roles[%q]", field, ws) }, bad)
		if err != nil {
			return nil, err
		}
		out.Users = append(out.Users, User{Name: ud.Name, PasswordHash: ud.PasswordHash, Roles: roles, Disabled: ud.Disabled, Generation: ud.Generation, hash: h})
	}
	for i, td := range d.Tokens {
		t, err := tokenFromDoc(out, td, fmt.Sprintf("tokens[%d]", i), bad)
		if err != nil {
			return nil, err
		}
		out.Tokens = append(out.Tokens, t)
	}
	return out, nil
}

func tokenFromDoc(out *Users, td tokenDoc, field string, bad func(string, string, ...any) error) (Token, error) {
	if err := CheckName(td.Name); err != nil {
		return Token{}, bad(field+".name", "%v", err)
	}
	if out.Token(td.Name) != nil {
		return Token{}, bad(field+".name", "a second token called %q", td.Name)
	}
	if b, err := hex.DecodeString(td.SHA256); err != nil || len(b) != 32 || strings.ToLower(td.SHA256) != td.SHA256 {
		return Token{}, bad(field+".sha256", "not a SHA-256 in lowercase hex (64 characters)")
	}
	if td.Created.IsZero() {
		return Token{}, bad(field+".created", "missing: the time the token was created")
	}
	roles, err := rolesFromDoc(td.Roles, func(ws string) string { return fmt.Sprintf("%s.roles[%q]", field, ws) }, bad)
	if err != nil {
		return Token{}, err
	}
	t := Token{Name: td.Name, SHA256: td.SHA256, Roles: roles, Created: td.Created}
	if td.Expires != nil {
		t.Expires = *td.Expires
	}
	return t, nil
}

func rolesFromDoc(in map[string]string, field func(string) string, bad func(string, string, ...any) error) (map[string]Role, error) {
	roles := make(map[string]Role, len(in))
	for _, ws := range sortedKeys(in) {
		if err := CheckWorkspace(ws); err != nil {
			return nil, bad(field(ws), "%v", err)
		}
		r, err := ParseRole(in[ws])
		if err != nil {
			return nil, bad(field(ws), "%v", err)
		}
		roles[ws] = r
	}
	return roles, nil
}

// doc returns the users as the file writes them.
func (u *Users) doc() *usersDoc {
	d := &usersDoc{Users: []userDoc{}, Tokens: []tokenDoc{}}
	for _, us := range u.Users {
		d.Users = append(d.Users, userDoc{Name: us.Name, PasswordHash: us.PasswordHash, Roles: rolesDoc(us.Roles), Disabled: us.Disabled, Generation: us.Generation})
	}
	for _, t := range u.Tokens {
		td := tokenDoc{Name: t.Name, SHA256: t.SHA256, Roles: rolesDoc(t.Roles), Created: t.Created.UTC()}
		if !t.Expires.IsZero() {
			exp := t.Expires.UTC()
			td.Expires = &exp
		}
		d.Tokens = append(d.Tokens, td)
	}
	return d
}

func rolesDoc(in map[string]Role) map[string]string {
	out := make(map[string]string, len(in))
	for ws, r := range in {
		out[ws] = r.String()
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CheckName says why name cannot name a user or a token, or nil: 1 to
// 64 letters, digits and . _ @ -, starting with a letter or a digit.
func CheckName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("a name has 1 to 64 characters, not %d", len(name))
	}
	for i, r := range name {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || (i > 0 && strings.ContainsRune("._@-", r)))
		if !ok {
			return fmt.Errorf("name %q: use letters, digits and . _ @ - (starting with a letter or a digit)", name)
		}
	}
	return nil
}

// CheckWorkspace says why ws cannot name a workspace in a role, or nil:
// "*" or a folder's name.
func CheckWorkspace(ws string) error {
	if ws == AllWorkspaces {
		return nil
	}
	if ws == "" || len(ws) > 255 || ws == "." || ws == ".." || strings.ContainsAny(ws, "/\\") ||
		slices.ContainsFunc([]rune(ws), func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }) {
		return fmt.Errorf("workspace %q: give a workspace's folder name, or * for every workspace", ws)
	}
	return nil
}

// cloneRoles copies a role map, so that a principal does not share it.
func cloneRoles(in map[string]Role) map[string]Role {
	out := make(map[string]Role, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}
