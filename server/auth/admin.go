package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// These change the users file, each under its lock: the CLI's `nova-plan
// serve user …` and `serve token …`. A running server sees the change
// at its next request.

// AddUser adds a user with password (which must pass CheckNewPassword)
// and roles, making the users file if there is none.
func AddUser(usersFile, name, password string, roles map[string]Role) error {
	if err := checkNew(name, password, roles); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	gen, err := newGeneration()
	if err != nil {
		return err
	}
	return UpdateUsers(usersFile, true, func(u *Users) error {
		if u.User(name) != nil {
			return fmt.Errorf("there is already a user called %q", name)
		}
		h, err := parseHash(hash)
		if err != nil {
			return err
		}
		u.Users = append(u.Users, User{Name: name, PasswordHash: hash, Roles: cloneRoles(roles), Generation: gen, hash: h})
		return nil
	})
}

// newGeneration returns a new User.Generation: 16 random bytes.
func newGeneration() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func checkNew(name, password string, roles map[string]Role) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := CheckNewPassword(password); err != nil {
		return err
	}
	return checkRoles(roles)
}

func checkRoles(roles map[string]Role) error {
	for ws, r := range roles {
		if err := CheckWorkspace(ws); err != nil {
			return err
		}
		if r < Viewer || r > Admin {
			return fmt.Errorf("workspace %q: no such role", ws)
		}
	}
	return nil
}

// RemoveUser removes a user; their login tokens stop working at once.
func RemoveUser(usersFile, name string) error {
	return changeUser(usersFile, name, func(u *Users, i int) {
		u.Users = append(u.Users[:i], u.Users[i+1:]...)
	})
}

// SetRole gives a user role on workspace ("*" for all); NoRole takes the
// user's role on it away.
func SetRole(usersFile, name, workspace string, role Role) error {
	if err := CheckWorkspace(workspace); err != nil {
		return err
	}
	return changeUser(usersFile, name, func(u *Users, i int) {
		roles := cloneRoles(u.Users[i].Roles)
		if role == NoRole {
			delete(roles, workspace)
		} else {
			roles[workspace] = role
		}
		u.Users[i].Roles = roles
	})
}

// SetDisabled disables a user (their login tokens stop working at once,
// and for good: enabling the user again does not revive them) or enables
// them again.
func SetDisabled(usersFile, name string, disabled bool) error {
	gen, err := newGeneration()
	if err != nil {
		return err
	}
	return changeUser(usersFile, name, func(u *Users, i int) {
		u.Users[i].Disabled = disabled
		if disabled {
			u.Users[i].Generation = gen
		}
	})
}

// SetPassword sets a user's password; their login tokens stop working at
// once. Setting admin's deletes the initial-admin-password file beside
// the users file.
func SetPassword(usersFile, name, password string) error {
	if err := CheckNewPassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	h, err := parseHash(hash)
	if err != nil {
		return err
	}
	gen, err := newGeneration()
	if err != nil {
		return err
	}
	err = changeUser(usersFile, name, func(u *Users, i int) {
		u.Users[i].PasswordHash, u.Users[i].hash, u.Users[i].Generation = hash, h, gen
	})
	if err == nil && name == "admin" {
		err = os.Remove(filepath.Join(filepath.Dir(usersFile), InitialAdminFile))
		if errors.Is(err, os.ErrNotExist) {
			err = nil
		}
	}
	return err
}

// changeUser applies change to the user called name, and refuses a
// change that leaves no enabled admin of every workspace where there was
// one.
func changeUser(usersFile, name string, change func(u *Users, i int)) error {
	return UpdateUsers(usersFile, false, func(u *Users) error {
		i := userIndex(u, name)
		if i < 0 {
			return fmt.Errorf("there is no user called %q", name)
		}
		before := admins(u)
		change(u, i)
		if before > 0 && admins(u) == 0 {
			return fmt.Errorf("that would leave no enabled admin of every workspace (role admin on *): make another user one first")
		}
		return nil
	})
}

func userIndex(u *Users, name string) int {
	for i := range u.Users {
		if u.Users[i].Name == name {
			return i
		}
	}
	return -1
}

// admins counts the enabled users with the admin role on every
// workspace.
func admins(u *Users) int {
	n := 0
	for _, us := range u.Users {
		if !us.Disabled && us.Roles[AllWorkspaces] == Admin {
			n++
		}
	}
	return n
}

// CreateToken makes an API token with roles that expires after ttl (0:
// never) and returns it: only its SHA-256 is kept, so this is the one
// time it is seen.
func CreateToken(usersFile, name string, roles map[string]Role, ttl time.Duration, now time.Time) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	if err := checkRoles(roles); err != nil {
		return "", err
	}
	if ttl < 0 {
		return "", fmt.Errorf("the time to live %s is negative", ttl)
	}
	token, sum, err := newAPIToken()
	if err != nil {
		return "", err
	}
	t := Token{Name: name, SHA256: sum, Roles: cloneRoles(roles), Created: now.UTC().Truncate(time.Second)}
	if ttl > 0 {
		t.Expires = now.Add(ttl).UTC().Truncate(time.Second)
	}
	err = UpdateUsers(usersFile, true, func(u *Users) error {
		if u.Token(name) != nil {
			return fmt.Errorf("there is already a token called %q: revoke it first", name)
		}
		u.Tokens = append(u.Tokens, t)
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeToken deletes an API token; it stops working at once.
func RevokeToken(usersFile, name string) error {
	return UpdateUsers(usersFile, false, func(u *Users) error {
		for i := range u.Tokens {
			if u.Tokens[i].Name == name {
				u.Tokens = append(u.Tokens[:i], u.Tokens[i+1:]...)
				return nil
			}
		}
		return fmt.Errorf("there is no token called %q", name)
	})
}
