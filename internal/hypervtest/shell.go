package hypervtest

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// shell is an open Windows Remote Shell and its commands.
type shell struct {
	id   string
	cmds map[string]*command
}

// command is a running (or finished) script: its output not yet
// received, whether it is done, and its exit code.
type command struct {
	id     string
	cancel context.CancelFunc

	mu     sync.Mutex
	out    []byte
	errOut []byte
	done   bool
	exit   int
	wake   chan struct{} // closed and replaced on every change
}

func newCommand(id string, cancel context.CancelFunc) *command {
	return &command{id: id, cancel: cancel, wake: make(chan struct{})}
}

func (c *command) write(stdout, stderr string) {
	c.mu.Lock()
	c.out = append(c.out, stdout...)
	c.errOut = append(c.errOut, stderr...)
	close(c.wake)
	c.wake = make(chan struct{})
	c.mu.Unlock()
}

func (c *command) finish(exit int) {
	c.mu.Lock()
	c.done, c.exit = true, exit
	close(c.wake)
	c.wake = make(chan struct{})
	c.mu.Unlock()
}

// take returns the output so far and whether the command is done.
func (c *command) take() (out, errOut []byte, done bool, exit int, wake chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, errOut, c.out, c.errOut = c.out, c.errOut, nil, nil
	return out, errOut, c.done, c.exit, c.wake
}

func (s *Server) create(w http.ResponseWriter, env *envelope) {
	if env.Body.Shell == nil || strings.TrimSpace(env.Body.Shell.InputStreams) != "stdin" || strings.TrimSpace(env.Body.Shell.OutputStreams) != "stdout stderr" {
		s.fault(w, env.Header.MessageID, "InvalidParameter", s.refuse("Create: the body is not a shell with streams stdin / stdout stderr"))
		return
	}
	s.mu.Lock()
	sh := &shell{id: strings.ToUpper(newGUID()), cmds: map[string]*command{}}
	s.shells[sh.id] = sh
	s.mu.Unlock()
	reply(w, env.Header.MessageID, nsTransfer+"/CreateResponse", fmt.Sprintf(
		`<x:ResourceCreated><a:Address>%s</a:Address><a:ReferenceParameters><w:ResourceURI>%s</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">%s</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated><rsp:Shell><rsp:ShellId>%s</rsp:ShellId><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`,
		escape(s.URL), resourceCmd, sh.id, sh.id))
}

// shellOf returns the request's shell, or answers with a fault.
func (s *Server) shellOf(w http.ResponseWriter, env *envelope) *shell {
	id := env.shellID()
	s.mu.Lock()
	sh := s.shells[id]
	s.mu.Unlock()
	if sh == nil {
		s.fault(w, env.Header.MessageID, "InvalidSelectors", s.refuse("%s: no shell with ShellId %q", actions[env.Header.Action], id))
	}
	return sh
}

// commandOf returns the shell's command with id, or answers with a fault.
func (s *Server) commandOf(w http.ResponseWriter, env *envelope, sh *shell, id string) *command {
	s.mu.Lock()
	c := sh.cmds[id]
	s.mu.Unlock()
	if c == nil {
		s.fault(w, env.Header.MessageID, "InvalidSelectors", s.refuse("%s: shell %s has no command %q", actions[env.Header.Action], sh.id, id))
	}
	return c
}

func (s *Server) deleteShell(w http.ResponseWriter, env *envelope) {
	sh := s.shellOf(w, env)
	if sh == nil {
		return
	}
	s.mu.Lock()
	delete(s.shells, sh.id)
	for _, c := range sh.cmds {
		c.cancel()
	}
	s.mu.Unlock()
	reply(w, env.Header.MessageID, nsTransfer+"/DeleteResponse", "")
}

// command starts a script: `powershell.exe -EncodedCommand BASE64`.
func (s *Server) command(w http.ResponseWriter, env *envelope) {
	sh := s.shellOf(w, env)
	if sh == nil {
		return
	}
	cl := env.Body.CommandLine
	if cl == nil || len(cl.Arguments) != 0 {
		s.fault(w, env.Header.MessageID, "InvalidParameter", s.refuse("Command: the body is not one command line without arguments"))
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	c := newCommand(strings.ToUpper(newGUID()), cancel)
	run, err := s.parseCommand(strings.TrimSpace(cl.Command))
	if err != nil {
		cancel()
		s.fault(w, env.Header.MessageID, "InvalidParameter", s.refuse("Command: %v", err))
		return
	}
	s.mu.Lock()
	sh.cmds[c.id] = c
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		c.finish(run(ctx, c))
	}()
	reply(w, env.Header.MessageID, nsShell+"/CommandResponse", "<rsp:CommandResponse><rsp:CommandId>"+c.id+"</rsp:CommandId></rsp:CommandResponse>")
}

// receive answers with the output the command wrote since the last
// Receive, waiting up to ReceiveWait for some; with none, and the command
// still running, it answers as WinRM does when OperationTimeout passes.
func (s *Server) receive(w http.ResponseWriter, r *http.Request, env *envelope) {
	sh := s.shellOf(w, env)
	if sh == nil {
		return
	}
	rc := env.Body.Receive
	if rc == nil || strings.TrimSpace(rc.Stream.Names) != "stdout stderr" {
		s.fault(w, env.Header.MessageID, "InvalidParameter", s.refuse("Receive: the body does not ask for stdout stderr"))
		return
	}
	c := s.commandOf(w, env, sh, rc.Stream.CommandID)
	if c == nil {
		return
	}
	timer := time.NewTimer(s.opts.ReceiveWait)
	defer timer.Stop()
	for {
		out, errOut, done, exit, wake := c.take()
		if len(out) > 0 || len(errOut) > 0 || done {
			reply(w, env.Header.MessageID, nsShell+"/ReceiveResponse", receiveBody(c.id, out, errOut, done, exit))
			return
		}
		select {
		case <-wake:
		case <-timer.C:
			s.fault(w, env.Header.MessageID, "TimedOut", "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.")
			return
		case <-r.Context().Done():
			return
		}
	}
}

func receiveBody(id string, out, errOut []byte, done bool, exit int) string {
	var b strings.Builder
	b.WriteString("<rsp:ReceiveResponse>")
	for _, st := range []struct {
		name string
		data []byte
	}{{"stdout", out}, {"stderr", errOut}} {
		if len(st.data) > 0 {
			fmt.Fprintf(&b, `<rsp:Stream Name="%s" CommandId="%s">%s</rsp:Stream>`, st.name, id, base64.StdEncoding.EncodeToString(st.data))
		}
	}
	if done {
		fmt.Fprintf(&b, `<rsp:Stream Name="stdout" CommandId="%s" End="true"></rsp:Stream><rsp:Stream Name="stderr" CommandId="%s" End="true"></rsp:Stream>`, id, id)
		fmt.Fprintf(&b, `<rsp:CommandState CommandId="%s" State="%s"><rsp:ExitCode>%d</rsp:ExitCode></rsp:CommandState>`, id, stateDone, exit)
	} else {
		fmt.Fprintf(&b, `<rsp:CommandState CommandId="%s" State="%s"/>`, id, stateRun)
	}
	b.WriteString("</rsp:ReceiveResponse>")
	return b.String()
}

// signal terminates a command (the client ends every command so).
func (s *Server) signal(w http.ResponseWriter, env *envelope) {
	sh := s.shellOf(w, env)
	if sh == nil {
		return
	}
	sg := env.Body.Signal
	if sg == nil || strings.TrimSpace(sg.Code) != signalTerm {
		s.fault(w, env.Header.MessageID, "InvalidParameter", s.refuse("Signal: only terminate is known"))
		return
	}
	c := s.commandOf(w, env, sh, sg.CommandID)
	if c == nil {
		return
	}
	c.cancel()
	reply(w, env.Header.MessageID, nsShell+"/SignalResponse", "<rsp:SignalResponse/>")
}
