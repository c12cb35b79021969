package encryption

import "testing"

// The 10,000-VM document an apply writes every 200 ms, sealed and opened
// with a key; and with a passphrase, whose key is derived once per process
// (BenchmarkDerive is that once).
func BenchmarkSeal10k(b *testing.B) { benchSeal(b, mustKeySealer(b, 1)) }
func BenchmarkOpen10k(b *testing.B) { benchOpen(b, mustKeySealer(b, 1)) }
func BenchmarkSeal10kPassphrase(b *testing.B) {
	benchSeal(b, mustPassSealer(b, "benchmark passphrase"))
}
func BenchmarkOpen10kPassphrase(b *testing.B) {
	benchOpen(b, mustPassSealer(b, "benchmark passphrase"))
}

// BenchmarkDerive is one argon2id derivation with DefaultArgon2.
func BenchmarkDerive(b *testing.B) {
	salt := make([]byte, saltSize)
	for b.Loop() {
		DefaultArgon2.derive("benchmark passphrase", salt)
	}
}

func benchSeal(b *testing.B, s *Sealer) {
	plain := sampleDoc(b, 10_000)
	if _, err := s.Seal(plain); err != nil { // derives a passphrase's key
		b.Fatal(err)
	}
	b.SetBytes(int64(len(plain)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Seal(plain); err != nil {
			b.Fatal(err)
		}
	}
}

func benchOpen(b *testing.B, s *Sealer) {
	plain := sampleDoc(b, 10_000)
	sealed, err := s.Seal(plain)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(plain)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Open(sealed); err != nil {
			b.Fatal(err)
		}
	}
}
