package ec2test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// authenticate checks a call's SigV4 signature as EC2 does: the access
// key must be the server's, the scope its region and ec2, and the
// signature the one its secret key makes of the signed headers and body.
func (s *Server) authenticate(r *http.Request, body []byte) *apiError {
	a, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return apiErr("AuthFailure", "AWS was not able to validate the provided access credentials (no AWS4-HMAC-SHA256 Authorization header)")
	}
	if a.accessKey != s.AccessKeyID {
		return apiErr("AuthFailure", "AWS was not able to validate the provided access credentials")
	}
	if a.region != s.Region || a.service != "ec2" {
		return apiErr("AuthFailure", "Credential should be scoped to a valid region and service: ec2 in %s, not %s in %s", s.Region, a.service, a.region)
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return apiErr("AuthFailure", "AWS was not able to validate the provided access credentials (no X-Amz-Date)")
	}
	if want, err := s.signature(r, a.signedHeaders, body, at); err != nil || want != a.signature {
		return apiErr("AuthFailure", "AWS was not able to validate the provided access credentials")
	}
	return nil
}

// authorization is what a SigV4 Authorization header says.
type authorization struct {
	accessKey, region, service string
	signedHeaders              []string
	signature                  string
}

// parseAuthorization reads
// "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=hex".
func parseAuthorization(h string) (authorization, bool) {
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return authorization{}, false
	}
	var a authorization
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			scope := strings.Split(v, "/")
			if len(scope) != 5 || scope[4] != "aws4_request" {
				return authorization{}, false
			}
			a.accessKey, a.region, a.service = scope[0], scope[2], scope[3]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	return a, a.accessKey != "" && a.signature != "" && len(a.signedHeaders) > 0
}

// signature signs a copy of the request that holds only its signed
// headers, with the server's secret key, and returns the signature.
func (s *Server) signature(r *http.Request, signed []string, body []byte, at time.Time) (string, error) {
	c, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	for _, h := range signed {
		if h != "host" && h != "content-length" {
			c.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, c, hex.EncodeToString(sum[:]), "ec2", s.Region, at); err != nil {
		return "", err
	}
	a, _ := parseAuthorization(c.Header.Get("Authorization"))
	return a.signature, nil
}
