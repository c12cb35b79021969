package hypervtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
)

// maxCommandLine is cmd.exe's limit, which WinRM's shell runs the command
// line through.
const maxCommandLine = 8191

// progressPrefix is what the winrm client puts before every script.
const progressPrefix = "$ProgressPreference = 'SilentlyContinue';"

// paramLine is a script's first line: the parameters as JSON in a
// single-quoted string, which the driver writes in ASCII with ' doubled.
var paramLine = regexp.MustCompile(`^\$p = '((?:[\x20-\x26\x28-\x7e]|'')*)' \| ConvertFrom-Json$`)

// params are every script's parameters; a script reads the ones it needs.
type params struct {
	Hosts  []string        `json:"hosts"`
	ID     string          `json:"id"`
	Host   string          `json:"host"`
	Name   string          `json:"name"`
	Path   string          `json:"path"`
	Switch string          `json:"switch"`
	VHDX   string          `json:"vhdx"`
	CPU    int             `json:"cpu"`
	Mem    int64           `json:"mem"`
	Disk   int64           `json:"disk"`
	VHD    string          `json:"vhd"`
	Notes  json.RawMessage `json:"notes"`
	Done   json.RawMessage `json:"done"`
	Start  bool            `json:"start"`
	Stop   bool            `json:"stop"`
	Grace  int             `json:"grace"`
	From   string          `json:"from"`
	To     string          `json:"to"`
	SB     string          `json:"sb"`
}

// parseCommand decodes a command line into the script it runs, and
// returns what runs it; an unknown or malformed script is an error.
func (s *Server) parseCommand(cmd string) (func(context.Context, *command) int, error) {
	if len(cmd) > maxCommandLine {
		return func(_ context.Context, c *command) int {
			c.write("", "The command line is too long.\r\n")
			return 1
		}, nil
	}
	enc, ok := strings.CutPrefix(cmd, "powershell.exe -EncodedCommand ")
	if !ok {
		return nil, fmt.Errorf("not powershell.exe -EncodedCommand: %.60q", cmd)
	}
	script, err := decodeUTF16(enc)
	if err != nil {
		return nil, err
	}
	script, ok = strings.CutPrefix(script, progressPrefix)
	if !ok {
		return nil, errors.New("the script does not start with the client's $ProgressPreference line")
	}
	first, body, _ := strings.Cut(script, "\n")
	m := paramLine.FindStringSubmatch(first)
	if m == nil {
		return nil, fmt.Errorf("the first line is not $p = '<ASCII JSON>' | ConvertFrom-Json: %.120q", first)
	}
	sum := sha256.Sum256([]byte(body))
	name, ok := golden[hex.EncodeToString(sum[:])]
	if !ok {
		return nil, fmt.Errorf("unknown script (sha256 %s), starting %.80q: a changed script must change golden.go", hex.EncodeToString(sum[:]), body)
	}
	var p params
	dec := json.NewDecoder(strings.NewReader(strings.ReplaceAll(m[1], "''", "'")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("script %s: parameters: %v", name, err)
	}
	s.mu.Lock()
	s.scripts[name]++
	s.mu.Unlock()
	h := handlers[name]
	return func(ctx context.Context, c *command) int {
		return s.execute(ctx, c, h, &p)
	}, nil
}

func decodeUTF16(enc string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(raw)%2 != 0 {
		return "", errors.New("-EncodedCommand is not base64 of UTF-16LE")
	}
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
	}
	return string(utf16.Decode(u)), nil
}

// exec is one running script: its output and the server.
type exec struct {
	s   *Server
	c   *command
	ctx context.Context
	p   *params
	cur string // the step it is in
}

// errStopped: the client stopped the script (Signal or Delete).
var errStopped = errors.New("stopped")

// step writes a step line, and blocks there when the server is told to
// hang in it, until the client stops the script.
func (x *exec) step(text string) error {
	x.cur = text
	x.c.write("step:"+text+"\n", "")
	x.s.mu.Lock()
	hang := x.s.hang
	x.s.mu.Unlock()
	if hang != "" && strings.HasPrefix(text, hang) {
		<-x.ctx.Done()
		return errStopped
	}
	if x.ctx.Err() != nil {
		return errStopped
	}
	return nil
}

// done writes the result line.
func (x *exec) done(v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	x.c.write("result:"+b.String(), "")
}

// execute runs a handler and writes its error line, as the prelude's trap.
func (s *Server) execute(ctx context.Context, c *command, h handler, p *params) int {
	x := &exec{s: s, c: c, ctx: ctx, p: p, cur: "0/0 start"}
	err := h(x)
	var pe *psError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &pe):
		line, _ := json.Marshal(map[string]string{"step": x.cur, "id": pe.id, "category": pe.category, "message": pe.message})
		c.write("error:"+string(line)+"\n", "")
		return 1
	}
	return 1 // stopped
}
