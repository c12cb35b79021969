package hypervtest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
)

// client is an HTTPS client that trusts the server's certificate.
func client(t *testing.T, s *Server) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// post sends a SOAP envelope with the action, shell and body, with Basic
// credentials; it returns the status and the answer.
func post(t *testing.T, s *Server, password, action, shell, body string) (int, string) {
	t.Helper()
	sel := ""
	if shell != "" {
		sel = `<w:SelectorSet><w:Selector Name="ShellId">` + shell + `</w:Selector></w:SelectorSet>`
	}
	env := fmt.Sprintf(`<env:Envelope xmlns:env="%s" xmlns:a="%s" xmlns:w="%s" xmlns:rsp="%s"><env:Header><a:Action>%s</a:Action><a:MessageID>uuid:1</a:MessageID><w:ResourceURI>%s</w:ResourceURI>%s</env:Header><env:Body>%s</env:Body></env:Envelope>`,
		nsSOAP, nsAddr, nsWSMan, nsShell, action, resourceCmd, sel, body)
	req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(env))
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	req.SetBasicAuth(s.User, password)
	resp, err := client(t, s).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// openShell creates a shell and returns its id.
func openShell(t *testing.T, s *Server) string {
	t.Helper()
	code, out := post(t, s, s.Password, nsTransfer+"/Create", "", `<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`)
	i := strings.Index(out, `Name="ShellId">`)
	if code != 200 || i < 0 {
		t.Fatalf("Create: %d %s", code, out)
	}
	id, _, _ := strings.Cut(out[i+len(`Name="ShellId">`):], "<")
	return id
}

// encoded is the command line of a PowerShell script, as the client sends it.
func encoded(script string) string {
	u := utf16.Encode([]rune(progressPrefix + script))
	b := make([]byte, 2*len(u))
	for i, x := range u {
		b[2*i], b[2*i+1] = byte(x), byte(x>>8)
	}
	return "powershell.exe -EncodedCommand " + base64.StdEncoding.EncodeToString(b)
}

func commandLine(line string) string {
	return `<rsp:CommandLine><rsp:Command><![CDATA[` + line + `]]></rsp:Command></rsp:CommandLine>`
}

// TestRefusals: what the server does not know is refused loudly, in
// WinRM's shapes, and recorded for Unexpected.
func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, action, body string
		shell              bool
		status             int
		want               string // in the answer
		recorded           string // in Unexpected, "" for none
	}{
		{"wrong password", nsTransfer + "/Create", "", false, 401, "", ""},
		{"unknown action", "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", "", false, 500, "w:ActionNotSupported", "unknown WS-Management action"},
		{"unknown shell", nsShell + "/Command", commandLine(encoded("$p = '{}' | ConvertFrom-Json\nGet-VM")), false, 500, "w:InvalidSelectors", "no shell with ShellId"},
		{"unknown script", nsShell + "/Command", commandLine(encoded("$p = '{}' | ConvertFrom-Json\nGet-VM | Remove-VM")), true, 500, "unknown script", "unknown script (sha256"},
		{"non-ASCII parameters", nsShell + "/Command", commandLine(encoded("$p = '{\"name\":\"a’\"}' | ConvertFrom-Json\nGet-VM")), true, 500, "ConvertFrom-Json", "the first line is not"},
		{"not powershell", nsShell + "/Command", commandLine("cmd.exe /c dir"), true, 500, "not powershell.exe", "not powershell.exe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t)
			shell := ""
			if tc.shell {
				shell = openShell(t, s)
			}
			password := s.Password
			if tc.status == 401 {
				password = "wrong"
			}
			code, out := post(t, s, password, tc.action, shell, tc.body)
			if code != tc.status || !strings.Contains(out, tc.want) {
				t.Errorf("answer %d %q, want %d with %q", code, out, tc.status, tc.want)
			}
			got := strings.Join(s.Unexpected(), "\n")
			if (tc.recorded == "") != (got == "") || !strings.Contains(got, tc.recorded) {
				t.Errorf("Unexpected() = %q, want %q", got, tc.recorded)
			}
		})
	}
}

// TestCommandLineTooLong: as cmd.exe, a command line past 8,191
// characters runs nothing and exits 1 with its message.
func TestCommandLineTooLong(t *testing.T) {
	s := start(t)
	shell := openShell(t, s)
	code, out := post(t, s, s.Password, nsShell+"/Command", shell, commandLine(encoded("$p = '{}' | ConvertFrom-Json\n"+strings.Repeat("#", 4000))))
	i := strings.Index(out, "<rsp:CommandId>")
	if code != 200 || i < 0 {
		t.Fatalf("Command: %d %s", code, out)
	}
	id, _, _ := strings.Cut(out[i+len("<rsp:CommandId>"):], "<")
	_, out = post(t, s, s.Password, nsShell+"/Receive", shell, `<rsp:Receive><rsp:DesiredStream CommandId="`+id+`">stdout stderr</rsp:DesiredStream></rsp:Receive>`)
	msg := base64.StdEncoding.EncodeToString([]byte("The command line is too long.\r\n"))
	if !strings.Contains(out, msg) || !strings.Contains(out, "<rsp:ExitCode>1</rsp:ExitCode>") || !strings.Contains(out, stateDone) {
		t.Errorf("Receive: %s", out)
	}
}
