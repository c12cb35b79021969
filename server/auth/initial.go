package auth

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/novacron/novacron/internal/atomicfile"
)

// InitialAdminFile is the name, beside the users file, of the file that
// holds the first admin's password.
const InitialAdminFile = "initial-admin-password"

// InitialAdmin makes the users file when there is none: one user,
// "admin", an admin of every workspace, with a random password written to
// initial-admin-password beside it (mode 0600). It returns that file's
// path, for the server to print (never the password), or "" when the
// users file exists. Setting admin's password with `nova-plan serve user
// password admin` deletes the file.
func InitialAdmin(usersFile string) (passwordFile string, err error) {
	unlock, err := lockUsers(usersFile)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Lstat(usersFile); !errors.Is(err, fs.ErrNotExist) {
		return "", err // nil when it exists
	}
	password, err := randomPassword()
	if err != nil {
		return "", err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	passwordFile = filepath.Join(filepath.Dir(usersFile), InitialAdminFile)
	// The password first: a users file whose admin password is nowhere
	// would lock everyone out.
	if err := atomicfile.Write(passwordFile, []byte(password+"\n")); err != nil {
		return "", err
	}
	u := &Users{Users: []User{{Name: "admin", PasswordHash: hash, Roles: map[string]Role{AllWorkspaces: Admin}}}}
	if err := writeUsers(usersFile, u); err != nil {
		os.Remove(passwordFile)
		return "", err
	}
	return passwordFile, nil
}
