package azure

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// TestCanonicalID: Azure's resource IDs in any case are one VM's,
// reported in one spelling; IDs of other groups, subscriptions or types
// are none of this provider's.
func TestCanonicalID(t *testing.T) {
	d := openDriver(t, newStore(), testConfig())
	canon := "/subscriptions/" + testSubscription + "/resourceGroups/" + testGroup + "/providers/Microsoft.Compute/virtualMachines/web-0"
	for _, tc := range []struct {
		id   string
		want string
		ok   bool
	}{
		{canon, canon, true},
		{strings.ToUpper(canon), canon, true},
		{strings.Replace(canon, "web-0", "Web-0", 1), canon, true},
		{strings.Replace(canon, testGroup, "other", 1), "", false},
		{strings.Replace(canon, "virtualMachines", "disks", 1), "", false},
		{"web-0", "", false},
	} {
		got, ok := d.CanonicalID(tc.id)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("CanonicalID(%q) = %q, %t; want %q, %t", tc.id, got, ok, tc.want, tc.ok)
		}
	}
	vm, err := d.Create(context.Background(), testSpec("Web-0"))
	if err != nil {
		t.Fatal(err)
	}
	if vm.ID != canon || vm.Name != "Web-0" {
		t.Errorf("Create reports %s named %s, want %s named Web-0", vm.ID, vm.Name, canon)
	}
	_, err = d.Update(context.Background(), strings.ToUpper(canon), driver.Changes{Tags: map[string]string{}})
	if !errors.Is(err, driver.ErrPermanent) || !strings.Contains(err.Error(), "not written as the provider reports it") {
		t.Errorf("Update of the upper-case ID: %v, want a permanent error", err)
	}
}
