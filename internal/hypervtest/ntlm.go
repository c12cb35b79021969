package hypervtest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"unicode/utf16"

	"golang.org/x/crypto/md4" //lint:ignore SA1019 NTLM is defined on MD4; this checks a client's NTLMv2 response
)

// NTLM over HTTP as WinRM speaks it (MS-NLMP, NTLMv2 only): the client's
// NEGOTIATE message in "Authorization: Negotiate", a CHALLENGE in the 401
// answer, the AUTHENTICATE message, whose NTProofStr the server checks
// against the password. As HTTP.sys does, a connection that passed is
// authenticated for its later requests.

// connKey is the context key of a connection's NTLM state.
type connKey struct{}

// connAuth is one connection's NTLM state.
type connAuth struct {
	mu        sync.Mutex
	challenge []byte // of the handshake in progress
	authed    bool
}

// connContext gives every connection its NTLM state.
func connContext(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connAuth{})
}

const (
	ntlmDomain = "HV1"
	// challenge flags: UNICODE, REQUEST_TARGET, NTLM, ALWAYS_SIGN,
	// TARGET_TYPE_SERVER, EXTENDED_SESSIONSECURITY, TARGET_INFO, 128, 56.
	ntlmFlags = 1<<0 | 1<<2 | 1<<9 | 1<<15 | 1<<17 | 1<<19 | 1<<23 | 1<<29 | 1<<31
)

var ntlmSignature = []byte("NTLMSSP\x00")

// ntlm handles an "Authorization: Negotiate|NTLM …" header: a NEGOTIATE
// gets a CHALLENGE (401), an AUTHENTICATE is checked. It reports whether
// the request may proceed; when not, it has answered.
func (s *Server) ntlm(w http.ResponseWriter, r *http.Request, scheme, data string) bool {
	ca, _ := r.Context().Value(connKey{}).(*connAuth)
	msg, err := base64.StdEncoding.DecodeString(data)
	if ca == nil || err != nil || len(msg) < 12 || !bytes.Equal(msg[:8], ntlmSignature) {
		s.unauthorized(w)
		return false
	}
	ca.mu.Lock()
	defer ca.mu.Unlock()
	switch binary.LittleEndian.Uint32(msg[8:12]) {
	case 1:
		ca.challenge = make([]byte, 8)
		_, _ = rand.Read(ca.challenge)
		w.Header().Set("WWW-Authenticate", scheme+" "+base64.StdEncoding.EncodeToString(challengeMessage(ca.challenge)))
		w.WriteHeader(http.StatusUnauthorized)
		return false
	case 3:
		if ca.challenge != nil && s.checkAuthenticate(msg, ca.challenge) {
			ca.authed, ca.challenge = true, nil
			return true
		}
	}
	ca.challenge = nil
	s.unauthorized(w)
	return false
}

// challengeMessage is a CHALLENGE with the target HV1 and its AV pairs.
func challengeMessage(challenge []byte) []byte {
	target := utf16le(ntlmDomain)
	var info bytes.Buffer
	for _, av := range []struct {
		id  uint16
		val []byte
	}{{2, target}, {1, target}} { // MsvAvNbDomainName, MsvAvNbComputerName
		_ = binary.Write(&info, binary.LittleEndian, av.id)
		_ = binary.Write(&info, binary.LittleEndian, uint16(len(av.val)))
		info.Write(av.val)
	}
	info.Write([]byte{0, 0, 0, 0}) // MsvAvEOL
	const head = 48
	var b bytes.Buffer
	b.Write(ntlmSignature)
	_ = binary.Write(&b, binary.LittleEndian, uint32(2))
	writeVarField(&b, len(target), head)
	_ = binary.Write(&b, binary.LittleEndian, uint32(ntlmFlags))
	b.Write(challenge)
	b.Write(make([]byte, 8))
	writeVarField(&b, info.Len(), head+len(target))
	b.Write(target)
	b.Write(info.Bytes())
	return b.Bytes()
}

func writeVarField(b *bytes.Buffer, n, offset int) {
	_ = binary.Write(b, binary.LittleEndian, uint16(n))
	_ = binary.Write(b, binary.LittleEndian, uint16(n))
	_ = binary.Write(b, binary.LittleEndian, uint32(offset))
}

// checkAuthenticate checks an AUTHENTICATE message's user and NTLMv2
// response: NTProofStr = HMAC-MD5(NTOWFv2, challenge ‖ blob), where
// NTOWFv2 = HMAC-MD5(MD4(UTF-16(password)), UTF-16(UPPER(user) ‖ domain)).
func (s *Server) checkAuthenticate(msg, challenge []byte) bool {
	nt, err1 := varField(msg, 20)
	domain, err2 := varField(msg, 28)
	user, err3 := varField(msg, 36)
	if errors.Join(err1, err2, err3) != nil || len(nt) < 16+28 {
		return false
	}
	name := fromUTF16LE(user)
	if !strings.EqualFold(name, s.User) {
		return false
	}
	h := md4.New()
	h.Write(utf16le(s.Password))
	ntowf := hmacMD5(h.Sum(nil), utf16le(strings.ToUpper(name)+fromUTF16LE(domain)))
	return hmac.Equal(nt[:16], hmacMD5(ntowf, challenge, nt[16:]))
}

// varField reads the NTLM variable field whose descriptor is at off.
func varField(msg []byte, off int) ([]byte, error) {
	if len(msg) < off+8 {
		return nil, errors.New("short message")
	}
	n := int(binary.LittleEndian.Uint16(msg[off:]))
	at := int(binary.LittleEndian.Uint32(msg[off+4:]))
	if at < 0 || at+n > len(msg) {
		return nil, errors.New("field beyond the message")
	}
	return msg[at : at+n], nil
}

func hmacMD5(key []byte, data ...[]byte) []byte {
	m := hmac.New(md5.New, key)
	for _, d := range data {
		m.Write(d)
	}
	return m.Sum(nil)
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, x := range u {
		binary.LittleEndian.PutUint16(b[2*i:], x)
	}
	return b
}

func fromUTF16LE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
