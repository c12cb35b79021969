package auth

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestArgon2idHash(t *testing.T) {
	s, err := HashPassword("a long enough password")
	must(t, err)
	if !strings.HasPrefix(s, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string with the default parameters", s)
	}
	h, err := parseHash(s)
	must(t, err)
	if !h.verify("a long enough password") {
		t.Error("the password does not verify against its own hash")
	}
	for _, wrong := range []string{"", "a long enough passwore", "a long enough password ", "A long enough password"} {
		if h.verify(wrong) {
			t.Errorf("%q verifies", wrong)
		}
	}
	s2, err := HashPassword("a long enough password")
	must(t, err)
	if s2 == s {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

// TestArgon2idKnownParameters verifies a hash another implementation
// made, with other parameters than ours: argon2-cffi's documented example
// (PasswordHasher().hash("correct horse battery staple")).
func TestArgon2idKnownParameters(t *testing.T) {
	const hash = "$argon2id$v=19$m=65536,t=3,p=4$MIIRqgvgQbgj220jfp0MPA$YfwJSVjtjSU0zzV/P3S9nnQ/USre2wvJMjfCIjrTQbg"
	h, err := parseHash(hash)
	must(t, err)
	if h.memory != 65536 || h.time != 3 || h.threads != 4 {
		t.Fatalf("parsed m=%d t=%d p=%d", h.memory, h.time, h.threads)
	}
	if !h.verify("correct horse battery staple") {
		t.Error("the reference hash does not verify")
	}
	if h.verify("correct horse battery stapler") {
		t.Error("a wrong password verifies")
	}
}

func TestBcryptHash(t *testing.T) {
	for _, prefix := range []string{"$2a$", "$2b$", "$2y$"} {
		b, err := bcrypt.GenerateFromPassword([]byte("bcrypt password 1"), bcrypt.MinCost)
		must(t, err)
		s := prefix + string(b[4:])
		h, err := parseHash(s)
		if err != nil {
			t.Fatalf("%s: %v", prefix, err)
		}
		if !h.verify("bcrypt password 1") {
			t.Errorf("%s: the password does not verify", prefix)
		}
		if h.verify("bcrypt password 2") {
			t.Errorf("%s: a wrong password verifies", prefix)
		}
	}
}

func TestBadHashes(t *testing.T) {
	good := "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$UGrdkTAsOy8qPMK8WJXzG/fa6SeEcnCWkl4trwe7nUg"
	cases := map[string]string{
		"empty":            "",
		"plain text":       "hunter2hunter2",
		"argon2i":          strings.Replace(good, "argon2id", "argon2i", 1),
		"version 16":       strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":      strings.Replace(good, "m=19456", "m=99999999", 1),
		"zero time":        strings.Replace(good, "t=2", "t=0", 1),
		"zero threads":     strings.Replace(good, "p=1", "p=0", 1),
		"padded salt":      strings.Replace(good, "c29tZXNhbHRzb21lc2FsdA", "c29tZXNhbHRzb21lc2FsdA==", 1),
		"missing part":     "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA",
		"extra parameter":  strings.Replace(good, "p=1", "p=1,x=2", 1),
		"bcrypt truncated": "$2b$10$abc",
		"bcrypt cost 31":   "$2b$31$" + strings.Repeat("a", 53),
	}
	for name, s := range cases {
		_, err := parseHash(s)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("%s: the error quotes the hash: %v", name, err)
		}
	}
}

func TestCheckNewPassword(t *testing.T) {
	for pw, ok := range map[string]bool{"": false, "short": false, "elevenchars": false, "twelve chars": true, "ünïcödé_ünï": false, "ünïcödé_ünïc": true} {
		if err := CheckNewPassword(pw); (err == nil) != ok {
			t.Errorf("CheckNewPassword(%q) = %v", pw, err)
		}
	}
}
