package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/novacron/novacron/server/auth"
)

// maxPasswordInput bounds the password line read from stdin.
const maxPasswordInput = 4096

// readNewPassword reads a new password for user: asked twice on a
// terminal, else the first line of stdin. It must pass
// auth.CheckNewPassword. Nothing echoes it.
func readNewPassword(e *env, user string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return promptPassword(f, e, user)
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, maxPasswordInput)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	password := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if password == "" {
		return "", errors.New("the password is read from stdin, which is empty: pipe it in (printf '%s\\n' \"$PASSWORD\" | nova-plan serve user …) or run the command on a terminal to be asked for it")
	}
	return password, auth.CheckNewPassword(password)
}

func promptPassword(f *os.File, e *env, user string) (string, error) {
	fmt.Fprintf(e.stderr, "Password for %s: ", printable(user, false))
	first, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", err
	}
	if err := auth.CheckNewPassword(string(first)); err != nil {
		return "", err
	}
	fmt.Fprint(e.stderr, "Again: ")
	second, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", err
	}
	if string(first) != string(second) {
		return "", errors.New("the two passwords differ")
	}
	return string(first), nil
}
