package secret

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

	"golang.org/x/crypto/argon2"
)

// templateCost is the cost of template digests. Unlike Hash's, it can never
// change: a template digest is compared with the one stored on every VM
// made from it, and a different one would plan to replace them all.
var templateCost = Cost{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// TemplateDigest is what stands for the value of a sensitive template
// setting in a TemplateRef.ID. It is stable (the same workspace lineage,
// driver type, setting and value give the same digest, so a plan shows no
// false change) and changes with the value. The salt is derived from the
// lineage, so two workspaces holding the same secret have unrelated
// digests and no table of guesses serves for all workspaces.
func TemplateDigest(lineage, driverType, setting, value string) string {
	mac := hmac.New(sha256.New, []byte(lineage))
	mac.Write([]byte("novacron template setting\x00" + driverType + "\x00" + setting))
	salt := mac.Sum(nil)[:saltLen]
	c := templateCost
	sum := argon2.IDKey([]byte(value), salt, c.Time, c.MemoryKiB, c.Threads, 16)
	return base64.RawURLEncoding.EncodeToString(sum)
}
