package hypervtest

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// WS-Management and Windows Remote Shell names.
const (
	nsSOAP      = "http://www.w3.org/2003/05/soap-envelope"
	nsAddr      = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	nsWSMan     = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
	nsShell     = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
	nsTransfer  = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
	resourceCmd = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
	stateDone   = nsShell + "/CommandState/Done"
	stateRun    = nsShell + "/CommandState/Running"
	signalTerm  = nsShell + "/signal/terminate"
)

// actions the server knows, by their URI.
var actions = map[string]string{
	nsTransfer + "/Create": "Create",
	nsTransfer + "/Delete": "Delete",
	nsShell + "/Command":   "Command",
	nsShell + "/Receive":   "Receive",
	nsShell + "/Signal":    "Signal",
	nsShell + "/Send":      "Send",
}

// envelope is a request, the parts the server reads. Elements are matched
// by namespace where the protocol fixes it.
type envelope struct {
	XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
	Header  struct {
		To          string `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing To"`
		Action      string `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing Action"`
		MessageID   string `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing MessageID"`
		ResourceURI string `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd ResourceURI"`
		Selectors   []struct {
			Name  string `xml:"Name,attr"`
			Value string `xml:",chardata"`
		} `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd SelectorSet>Selector"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Header"`
	Body struct {
		Shell *struct {
			InputStreams  string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell InputStreams"`
			OutputStreams string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell OutputStreams"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Shell"`
		CommandLine *struct {
			Command   string   `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Command"`
			Arguments []string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Arguments"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell CommandLine"`
		Receive *struct {
			Stream struct {
				CommandID string `xml:"CommandId,attr"`
				Names     string `xml:",chardata"`
			} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell DesiredStream"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Receive"`
		Signal *struct {
			CommandID string `xml:"CommandId,attr"`
			Code      string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Code"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Signal"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

func (e *envelope) shellID() string {
	for _, s := range e.Header.Selectors {
		if s.Name == "ShellId" {
			return strings.TrimSpace(s.Value)
		}
	}
	return ""
}

// serve handles one POST to /wsman: authentication, then the action.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/wsman" || r.Method != http.MethodPost {
		s.refuse("%s %s: WinRM listens on POST /wsman", r.Method, r.URL.Path)
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if !s.authenticated(w, r) {
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/soap+xml") {
		s.fault(w, "", "InvalidMessageInformationHeader", s.refuse("content type %q is not application/soap+xml", ct))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 512<<10))
	var env envelope
	if err == nil {
		err = xml.Unmarshal(body, &env)
	}
	if err != nil {
		s.fault(w, "", "InvalidMessageInformationHeader", s.refuse("malformed SOAP envelope: %v", err))
		return
	}
	s.dispatch(w, r, &env)
}

// authenticated checks the request's credentials, or the connection's
// NTLM authentication; when they fail it has answered 401, as WinRM does:
// no SOAP body, the schemes it offers.
func (s *Server) authenticated(w http.ResponseWriter, r *http.Request) bool {
	if ca, _ := r.Context().Value(connKey{}).(*connAuth); ca != nil && !s.opts.NoNTLM {
		ca.mu.Lock()
		authed := ca.authed
		ca.mu.Unlock()
		if authed {
			return true
		}
	}
	scheme, data, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	switch {
	case (scheme == "Negotiate" || scheme == "NTLM") && !s.opts.NoNTLM:
		return s.ntlm(w, r, scheme, data)
	case scheme == "Basic" && !s.opts.NoBasic:
		if user, pass, ok := r.BasicAuth(); ok && user == s.User && pass == s.Password {
			return true
		}
	}
	s.unauthorized(w)
	return false
}

func (s *Server) unauthorized(w http.ResponseWriter) {
	if !s.opts.NoNTLM {
		w.Header().Add("WWW-Authenticate", "Negotiate")
	}
	if !s.opts.NoBasic {
		w.Header().Add("WWW-Authenticate", `Basic realm="WSMAN"`)
	}
	w.WriteHeader(http.StatusUnauthorized)
}

// dispatch runs the envelope's action.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, env *envelope) {
	action, ok := actions[env.Header.Action]
	if !ok {
		s.fault(w, env.Header.MessageID, "ActionNotSupported", s.refuse("unknown WS-Management action %q", env.Header.Action))
		return
	}
	if env.Header.ResourceURI != resourceCmd {
		s.fault(w, env.Header.MessageID, "InvalidResourceURI", s.refuse("%s: unknown resource URI %q", action, env.Header.ResourceURI))
		return
	}
	s.mu.Lock()
	s.actions[action]++
	s.mu.Unlock()
	switch action {
	case "Create":
		s.create(w, env)
	case "Delete":
		s.deleteShell(w, env)
	case "Command":
		s.command(w, env)
	case "Receive":
		s.receive(w, r, env)
	case "Signal":
		s.signal(w, env)
	default:
		s.fault(w, env.Header.MessageID, "ActionNotSupported", s.refuse("%s: the driver sends no input", action))
	}
}

// reply writes a SOAP response with the action and body.
func reply(w http.ResponseWriter, relatesTo, action, body string) {
	w.Header().Set("Content-Type", "application/soap+xml;charset=UTF-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s=%q xmlns:a=%q xmlns:w=%q xmlns:rsp=%q xmlns:x=%q><s:Header><a:Action>%s</a:Action><a:MessageID>uuid:%s</a:MessageID><a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body>%s</s:Body></s:Envelope>`,
		nsSOAP, nsAddr, nsWSMan, nsShell, nsTransfer, action, newGUID(), escape(relatesTo), body)
}

// fault writes a WS-Management fault (HTTP 500) with a subcode such as
// ActionNotSupported and a reason text.
func (s *Server) fault(w http.ResponseWriter, relatesTo, subcode, text string) {
	w.Header().Set("Content-Type", "application/soap+xml;charset=UTF-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s=%q xmlns:a=%q xmlns:w=%q><s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action><a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:%s</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">%s</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`,
		nsSOAP, nsAddr, nsWSMan, escape(relatesTo), subcode, escape(text))
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
