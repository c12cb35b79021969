package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/novacron/novacron/internal/atomicfile"
)

// maxUsersFile bounds the users file read.
const maxUsersFile = 16 << 20

// ReadUsers reads and checks the users file at path. It refuses a file
// that other users may read or write.
func ReadUsers(path string) (*Users, error) {
	u, _, err := readUsers(path)
	return u, err
}

// readUsers also returns the file's identity, for the server's cache.
func readUsers(path string) (*Users, fileID, error) {
	data, id, err := readPrivate(path, maxUsersFile)
	if err != nil {
		return nil, id, err
	}
	var d usersDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, id, jsonError(path, data, err)
	}
	if dec.More() {
		return nil, id, &FileError{Path: path, Problem: "more than one JSON value"}
	}
	u, err := fromDoc(path, &d)
	return u, id, err
}

// fileID tells whether a file changed: a rename over it, a write or a
// chmod changes one of these.
type fileID struct {
	dev, ino uint64
	size     int64
	mtime    int64
	mode     fs.FileMode
}

func idOf(fi fs.FileInfo) fileID {
	id := fileID{size: fi.Size(), mtime: fi.ModTime().UnixNano(), mode: fi.Mode()}
	id.dev, id.ino = devIno(fi) // file_unix.go, file_other.go
	return id
}

// readPrivate reads a file that must be a regular file only its owner
// may read and write.
func readPrivate(path string, limit int64) ([]byte, fileID, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileID{}, err // an *fs.PathError names the file
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fileID{}, err
	}
	if err := checkPrivate(path, fi); err != nil {
		return nil, idOf(fi), err
	}
	if fi.Size() > limit {
		return nil, idOf(fi), &FileError{Path: path, Problem: fmt.Sprintf("%d bytes: more than the %d a users file may have", fi.Size(), limit)}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	return data, idOf(fi), err
}

// checkPrivate refuses a file that is not a regular file, or that its
// group or others may read or write (where there are mode bits).
func checkPrivate(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return &FileError{Path: path, Problem: "not a regular file"}
	}
	// Windows has no mode bits (Go reports 0666 or 0444): its ACLs decide.
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return &FileError{Path: path, Problem: fmt.Sprintf(
			"mode %04o lets other users read or change it, and it holds password hashes and keys: run chmod 600 %s", perm, path)}
	}
	return nil
}

// jsonError turns a decoding error into a FileError with the line and
// column where it can.
func jsonError(path string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &FileError{Path: path, Field: lineCol(data, syn.Offset), Problem: "invalid JSON: " + syn.Error()}
	case errors.As(err, &typ):
		return &FileError{Path: path, Field: typ.Field, Problem: fmt.Sprintf("%s is not a JSON %s (%s)", typ.Value, typ.Type, lineCol(data, typ.Offset))}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &FileError{Path: path, Problem: "invalid JSON: the file ends too early"}
	}
	return &FileError{Path: path, Problem: err.Error()} // json: unknown field "x"
}

// lineCol is where the byte before offset is (encoding/json reports the
// offset after the byte it stopped at).
func lineCol(data []byte, offset int64) string {
	at := int(min(max(offset-1, 0), int64(len(data))))
	before := data[:at]
	line := bytes.Count(before, []byte("\n")) + 1
	col := at - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// writeUsers writes the users file atomically, mode 0600.
func writeUsers(path string, u *Users) error {
	data, err := json.MarshalIndent(u.doc(), "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'))
}

// lockUsers takes an exclusive lock beside the users file, so that two
// commands changing it at once do not lose one's change. unlock releases
// it.
func lockUsers(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil { // file_unix.go, file_windows.go
		f.Close()
		return nil, &os.PathError{Op: "lock", Path: f.Name(), Err: err}
	}
	return func() { f.Close() }, nil
}

// UpdateUsers changes the users file under its lock: it reads the file
// (an empty one when missing and create is set), calls change, and writes
// the result when change returns nil.
func UpdateUsers(path string, create bool, change func(*Users) error) error {
	if !create {
		// Make no lock file (nor its folder) where there is no users file.
		if _, err := os.Stat(path); err != nil {
			return err
		}
	}
	unlock, err := lockUsers(path)
	if err != nil {
		return err
	}
	defer unlock()
	u, err := ReadUsers(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		u, err = &Users{}, nil
	}
	if err != nil {
		return err
	}
	if err := change(u); err != nil {
		return err
	}
	return writeUsers(path, u)
}
