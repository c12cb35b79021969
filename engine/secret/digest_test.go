package secret

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	d := Hash([]byte(`"s3cret"`))
	if strings.Contains(d, "s3cret") || !strings.HasPrefix(d, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("digest %q", d)
	}
	if d == Hash([]byte(`"s3cret"`)) {
		t.Error("two digests of one value are equal: the salt is not random")
	}
	for _, tt := range []struct {
		value string
		want  bool
	}{{`"s3cret"`, true}, {`"s3creT"`, false}, {``, false}} {
		ok, err := Verify([]byte(tt.value), d)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.value, ok, err, tt.want)
		}
	}
}

func TestVerifyRefusesWhatItCannotRead(t *testing.T) {
	good := Hash([]byte("x"))
	for _, d := range []string{
		"0123456789abcdef0123456789abcdef:" + strings.Repeat("ab", 32), // salted SHA-256 of older plans
		"",
		strings.Replace(good, "m=19456", "m=99999999", 1), // a doctored cost
		strings.Replace(good, "t=2", "t=0", 1),
		strings.Replace(good, "$argon2id$", "$argon2i$", 1),
		good[:len(good)-30],
	} {
		if _, err := Verify([]byte("x"), d); !errors.Is(err, ErrFormat) {
			t.Errorf("Verify(x, %q): err %v, want ErrFormat", d, err)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		Hash([]byte(`"s3cret"`))
	}
}
