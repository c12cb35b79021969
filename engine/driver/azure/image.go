package azure

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// parseImage reads a template's image: a marketplace URN
// publisher:offer:sku:version or an image (or gallery image version)
// resource ID.
func parseImage(s string) (*armcompute.ImageReference, error) {
	if strings.HasPrefix(s, "/") {
		if _, err := arm.ParseResourceID(s); err != nil {
			return nil, fmt.Errorf("%s %q is not a resource ID: %v", tmplImage, s, err)
		}
		return &armcompute.ImageReference{ID: to.Ptr(s)}, nil
	}
	p := strings.Split(s, ":")
	if len(p) != 4 || slicesHasEmpty(p) {
		return nil, fmt.Errorf("%s must be a marketplace URN publisher:offer:sku:version (e.g. Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest) or an image resource ID; got %q", tmplImage, s)
	}
	return &armcompute.ImageReference{Publisher: &p[0], Offer: &p[1], SKU: &p[2], Version: &p[3]}, nil
}

func slicesHasEmpty(p []string) bool {
	for _, s := range p {
		if strings.TrimSpace(s) == "" {
			return true
		}
	}
	return false
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// str returns *p, or "" for nil.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
