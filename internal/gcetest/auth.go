package gcetest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ClientEmail is the service account of the key WriteCredentials writes.
const ClientEmail = "novacron@" + DefaultProject + ".iam.gserviceaccount.com"

var (
	keyOnce   sync.Once
	serverKey *rsa.PrivateKey // the service account's key, the server knows its public half
	otherKey  *rsa.PrivateKey // a key the server does not know
)

func keys() (*rsa.PrivateKey, *rsa.PrivateKey) {
	keyOnce.Do(func() {
		var err error
		if serverKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if otherKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return serverKey, otherKey
}

// WriteCredentials writes a service account key file for the server's
// project into dir and returns its path, for GOOGLE_APPLICATION_CREDENTIALS.
// Its token_uri is the server's. With wrong, the key is one the server
// does not know: the token endpoint refuses it (invalid_grant).
func (s *Server) WriteCredentials(dir string, wrong bool) (string, error) {
	good, bad := keys()
	key := good
	if wrong {
		key = bad
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	file := map[string]string{
		"type": "service_account", "project_id": s.Project, "private_key_id": "k1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": ClientEmail, "client_id": "100000000000000000001",
		"auth_uri": s.URL + "/auth", "token_uri": s.URL + "/token",
	}
	b, err := json.Marshal(file)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "gce-credentials.json")
	return path, os.WriteFile(path, b, 0o600)
}

// token is the OAuth2 token endpoint of the JWT bearer grant: it checks
// the assertion's RS256 signature with the service account's public key,
// its issuer, audience, scope and expiry, and issues an access token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		tokenError(w, "invalid_request", "POST a form")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		tokenError(w, "unsupported_grant_type", "Invalid grant_type: "+g)
		return
	}
	claims, ok := verifyJWT(r.PostForm.Get("assertion"))
	if !ok {
		tokenError(w, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	now := time.Now().Unix()
	switch {
	case claims.Iss != ClientEmail:
		tokenError(w, "invalid_grant", "Invalid JWT: iss is not the service account")
		return
	case claims.Aud != s.URL+"/token":
		tokenError(w, "invalid_grant", "Invalid JWT: aud is not the token URI")
		return
	case claims.Exp < now || claims.Iat > now+60:
		tokenError(w, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
		return
	case !strings.Contains(claims.Scope, "https://www.googleapis.com/auth/compute"):
		tokenError(w, "invalid_scope", "the assertion does not ask for a compute scope")
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "ya29.test-" + hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = true
	s.calls["oauth2.token"]++
	s.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3599})
}

type jwtClaims struct {
	Iss   string `json:"iss"`
	Aud   string `json:"aud"`
	Scope string `json:"scope"`
	Exp   int64  `json:"exp"`
	Iat   int64  `json:"iat"`
}

// verifyJWT checks an RS256 JWT's signature with the server's key.
func verifyJWT(jwt string) (jwtClaims, bool) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return jwtClaims{}, false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return jwtClaims{}, false
	}
	good, _ := keys()
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&good.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return jwtClaims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c jwtClaims
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return jwtClaims{}, false
	}
	return c, true
}

func tokenError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// authorized checks the bearer token of an API call.
func (s *Server) authorized(r *http.Request) *apiError {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	known := ok && s.tokens[tok]
	s.mu.Unlock()
	if !known {
		return errorf(http.StatusUnauthorized, "authError",
			"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
	}
	return nil
}
