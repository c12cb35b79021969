package secret

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactor(t *testing.T) {
	r := NewRedactor([]string{
		"qemu+tcp://HUNTER2USER@127.0.0.1:1/system?socket=/tmp/HUNTER2SOCK",
		"/var/lib/libvirt/images/HUNTER2 KERNEL",
		"#cloud-config\npassword: \"x<y\"\n",
		"short", "",
	})
	for _, tt := range []struct{ in, want string }{
		{"cannot connect to libvirt host qemu+tcp://HUNTER2USER@127.0.0.1:1/system?socket=/tmp/HUNTER2SOCK (after 1s)",
			"cannot connect to libvirt host (sensitive value) (after 1s)"},
		{"dial unix /tmp/HUNTER2SOCK: connect: no such file", "dial unix (sensitive value): connect: no such file"},
		{"authentication failed for HUNTER2USER", "authentication failed for (sensitive value)"},
		{"unable to stat: /var/lib/libvirt/images/HUNTER2 KERNEL", "unable to stat: (sensitive value)"},
		{`kernel "/var/lib/libvirt/images/HUNTER2 KERNEL" missing`, `kernel "(sensitive value)" missing`},
		{"file:///var/lib/libvirt/images/HUNTER2%20KERNEL", "file://(sensitive value)"},
		{`user_data="#cloud-config\npassword: \"x<y\"\n"`, `user_data="(sensitive value)"`},
		{`<user-data>#cloud-config` + "\n" + `password: &#34;x&lt;y&#34;` + "\n</user-data>", "<user-data>(sensitive value)</user-data>"},
		{"a short word stays", "a short word stays"},
	} {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
	var none *Redactor
	if none.String("x HUNTER2") != "x HUNTER2" || NewRedactor([]string{"abc"}) != nil {
		t.Error("a Redactor of nothing changes text")
	}
}

func TestRedactorError(t *testing.T) {
	r := NewRedactor([]string{"HUNTER2POOL"})
	inner := fmt.Errorf("storage pool %q not found: %w", "HUNTER2POOL", context.Canceled)
	err := r.Error(inner)
	if diff := cmp.Diff(`storage pool "(sensitive value)" not found: context canceled`, err.Error()); diff != "" {
		t.Error(diff)
	}
	if !errors.Is(err, context.Canceled) {
		t.Error("errors.Is does not see through a redacted error")
	}
	if errors.Unwrap(err) != nil {
		t.Error("the original error can be unwrapped from the redacted one")
	}
	plain := errors.New("nothing secret here")
	if r.Error(plain) != plain || r.Error(nil) != nil {
		t.Error("an error with nothing to hide is not returned as it is")
	}
}
