package lazyregexp

import (
	"regexp"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAnswersAsRegexp: every method answers as the compiled expression's.
func TestAnswersAsRegexp(t *testing.T) {
	const expr = `(?m)^([a-z]+)-([0-9]+)$`
	lazy, eager := New(expr), regexp.MustCompile(expr)
	tests := []struct {
		name      string
		got, want any
	}{
		{"MatchString", lazy.MatchString("web-12"), eager.MatchString("web-12")},
		{"MatchString miss", lazy.MatchString("Web-12"), eager.MatchString("Web-12")},
		{"FindStringSubmatch", lazy.FindStringSubmatch("db-3"), eager.FindStringSubmatch("db-3")},
		{"FindIndex", lazy.FindIndex([]byte("x\nab-1")), eager.FindIndex([]byte("x\nab-1"))},
		{"FindAllIndex", lazy.FindAllIndex([]byte("a-1\nb-2\nC-3"), -1), eager.FindAllIndex([]byte("a-1\nb-2\nC-3"), -1)},
		{"ReplaceAllString", lazy.ReplaceAllString("a-1\nb-2", "$2$1"), eager.ReplaceAllString("a-1\nb-2", "$2$1")},
		{"String", lazy.String(), expr},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s (-regexp +lazy):\n%s", tt.name, diff)
		}
	}
}

// TestCompilesOnce: concurrent first uses share one compiled expression.
func TestCompilesOnce(t *testing.T) {
	r := New(`^a+$`)
	got := make([]*regexp.Regexp, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = r.Regexp() })
	}
	wg.Wait()
	for i, re := range got {
		if re != got[0] {
			t.Fatalf("use %d got another compiled expression than use 0", i)
		}
	}
}

// TestBadExpressionPanicsAtFirstUse: New accepts anything; the first use
// of a bad expression panics as regexp.MustCompile does.
func TestBadExpressionPanicsAtFirstUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Fatal("the first use of a bad expression did not panic")
		}
	}()
	r.MatchString("x")
}
