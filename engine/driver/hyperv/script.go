package hyperv

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/masterzen/winrm"
)

// scripts holds one PowerShell script per operation, and the prelude every
// script starts with. They are constant text: a call's values reach a
// script only as the JSON of its first line, $p = '…' | ConvertFrom-Json.
//
//go:embed scripts/*.ps1
var scripts embed.FS

// The scripts, by file name without .ps1.
const (
	scriptInventory = "inventory"
	scriptCheck     = "check"
	scriptTemplate  = "template"
	scriptCreate    = "create"
	scriptUpdate    = "update"
	scriptDelete    = "delete"
	scriptMigrate   = "migrate"
)

// Body returns the constant text of a script as sent after its parameter
// line: the prelude, then the script.
func Body(name string) string {
	prelude, err := scripts.ReadFile("scripts/prelude.ps1")
	if err != nil {
		panic(err)
	}
	body, err := scripts.ReadFile("scripts/" + name + ".ps1")
	if err != nil {
		panic(err)
	}
	return string(prelude) + string(body)
}

// ScriptNames lists the operation scripts.
func ScriptNames() []string {
	return []string{scriptInventory, scriptCheck, scriptTemplate, scriptCreate, scriptUpdate, scriptDelete, scriptMigrate}
}

// paramLine is the first line of a script: the parameters as JSON in a
// single-quoted PowerShell string. The JSON is made ASCII (every other
// character as \uXXXX), so that no quote PowerShell knows besides ' (it
// also takes ‘ ’ ‚ ‛ for one) can appear, and ' is doubled: whatever a
// value holds, it stays data.
func paramLine(params any) (string, error) {
	raw, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range string(raw) {
		switch {
		case r == '\'':
			b.WriteString("''")
		case r < 0x20 || r >= 0x7f:
			for _, u := range utf16Units(r) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return "$p = '" + b.String() + "' | ConvertFrom-Json", nil
}

// utf16Units is r in UTF-16 (a surrogate pair beyond the BMP).
func utf16Units(r rune) []rune {
	if r == utf8.RuneError || r < 0x10000 {
		return []rune{r}
	}
	r -= 0x10000
	return []rune{0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff}
}

// maxCommandLine is the longest command line cmd.exe (which WinRM's shell
// runs powershell.exe through) accepts.
const maxCommandLine = 8191

// command is the command line that runs the script with params, or a
// permanent error when it is longer than Windows takes.
func command(name, what string, params any) (string, error) {
	line, err := paramLine(params)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	cmd := winrm.Powershell(line + "\n" + Body(name))
	if len(cmd) > maxCommandLine {
		return "", permanent("%s: its PowerShell command line would be %d characters long, more than the %d Windows takes (the tags, name and address travel on it): use fewer or shorter tags", what, len(cmd), maxCommandLine)
	}
	return cmd, nil
}

// scriptError is what a script's trap reports: the step it was in and the
// PowerShell error.
type scriptError struct {
	Step     string `json:"step"`
	ID       string `json:"id"`
	Category string `json:"category"`
	Message  string `json:"message"`
}

// run runs one script with params on the endpoint, within wait_timeout,
// and decodes its result into out. what names the operation for errors
// ("Move-VM web-1 to hv2"). A script that does not finish in time is
// stopped, and the error names the step it was in.
func (d *Driver) run(ctx context.Context, name, what string, params, out any) error {
	cmd, err := command(name, what, params)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, d.cfg.wait)
	defer cancel()
	c, done, err := d.conn.client(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer done()
	var stdout steps
	var stderr bytes.Buffer
	code, err := c.RunWithContext(ctx, cmd, &stdout, &stderr)
	return d.outcome(ctx, what, &stdout, stderr.String(), code, err, out)
}

// outcome turns a finished (or stopped) script into its result or error.
func (d *Driver) outcome(ctx context.Context, what string, s *steps, stderr string, code int, err error, out any) error {
	result, serr, last := s.outcome()
	switch {
	case ctx.Err() != nil && serr == nil && result == "":
		return begun(last, d.stopped(ctx, what, last))
	case err != nil && serr == nil:
		return begun(last, d.wsmanError(what, last, err))
	case serr != nil:
		return scriptFailed(what, serr)
	case result == "":
		return transient("%s: the script ended (exit code %d) in step %s without a result: %s", what, code, quoteStep(last), firstLine(stderr))
	}
	if err := json.Unmarshal([]byte(result), out); err != nil {
		return permanent("%s: the script's result is not the JSON expected: %v", what, err)
	}
	return nil
}

// started marks the error of a script that had begun its steps when it
// was stopped or lost: running the operation again may repeat them.
type started struct{ error }

func (e started) Unwrap() error { return e.error }

// begun marks err as started when the script reported a step.
func begun(last string, err error) error {
	if last == "" {
		return err
	}
	return started{err}
}

// stopped is the error of a script stopped by the deadline or the caller.
func (d *Driver) stopped(ctx context.Context, what, last string) error {
	if ctx.Err() == context.DeadlineExceeded {
		return transient("%s: step %s did not finish within %s (wait_timeout); the script was stopped", what, quoteStep(last), d.cfg.wait)
	}
	return transient("%s: stopped in step %s: %v", what, quoteStep(last), ctx.Err())
}

// quoteStep writes "3/4 'Move-VM'" for the step line "3/4 Move-VM".
func quoteStep(step string) string {
	if step == "" {
		return "'starting'"
	}
	n, name, ok := strings.Cut(step, " ")
	if !ok {
		return "'" + step + "'"
	}
	return n + " '" + name + "'"
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// steps reads a script's standard output as it arrives: "step:" lines
// say where the script is, one "result:" or "error:" line ends it.
type steps struct {
	mu      sync.Mutex
	partial []byte
	last    string
	result  string
	err     string
}

func (s *steps) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.partial = append(s.partial, b...)
	for {
		i := bytes.IndexByte(s.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		s.line(strings.TrimRight(string(s.partial[:i]), "\r"))
		s.partial = s.partial[i+1:]
	}
}

func (s *steps) line(l string) {
	switch {
	case strings.HasPrefix(l, "step:"):
		s.last = strings.TrimPrefix(l, "step:")
	case strings.HasPrefix(l, "result:"):
		s.result = strings.TrimPrefix(l, "result:")
	case strings.HasPrefix(l, "error:"):
		s.err = strings.TrimPrefix(l, "error:")
	}
}

// outcome returns the result line, the script's error, and the last step.
func (s *steps) outcome() (string, *scriptError, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.partial) > 0 {
		s.line(strings.TrimRight(string(s.partial), "\r"))
		s.partial = nil
	}
	if s.err == "" {
		return s.result, nil, s.last
	}
	var e scriptError
	if json.Unmarshal([]byte(s.err), &e) != nil {
		e = scriptError{Step: s.last, Message: s.err}
	}
	return s.result, &e, s.last
}
