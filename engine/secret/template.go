package secret

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// templateCost is the cost of new template digests. Each digest records its
// own cost and salt, and is compared by digesting the desired value again
// with them (MatchTemplateDigest): raising the cost changes only digests
// made afterwards, and VMs made before still compare equal.
var templateCost = Cost{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// templatePrefix starts every template digest: the PHC string format, with
// ';' between the cost parameters where PHC has ',' (a template ID
// separates its settings with commas).
const templatePrefix = "$argon2id$v=19$"

// templateHashLen is the length of a template digest's hash, in bytes.
const templateHashLen = 16

// TemplateDigest is what stands for the value of a sensitive template
// setting in a TemplateRef.ID:
//
//	$argon2id$v=19$m=19456;t=2;p=1$SALT$HASH
//
// The salt is derived from the owner's lineage, the driver type and the
// setting, so one owner digests one value alike (a plan shows no false
// change, and a fleet of VMs holds one salt) and two owners unalike (no
// table of guesses serves for both). The salt is in the digest, so whoever
// holds the value can check it without the lineage: another workspace that
// imports the VM, or this one after its state was lost.
func TemplateDigest(lineage, driverType, setting, value string) string {
	mac := hmac.New(sha256.New, []byte(lineage))
	mac.Write([]byte("novacron template setting\x00" + driverType + "\x00" + setting))
	salt := mac.Sum(nil)[:saltLen]
	c := templateCost
	sum := digests.key(c, salt, value, templateHashLen)
	return fmt.Sprintf("%sm=%d;t=%d;p=%d$%s$%s", templatePrefix, c.MemoryKiB, c.Time, c.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum))
}

// IsTemplateDigest reports whether s has the layout of a TemplateDigest.
func IsTemplateDigest(s string) bool {
	_, _, _, err := parseTemplateDigest(s)
	return err == nil
}

// MatchTemplateDigest reports whether digest, a TemplateDigest made by any
// owner, was made from value. It digests value with the digest's own cost
// and salt; results are kept per cost, salt and value, so a fleet sealed
// with one salt costs one argon2id computation per value, not one per VM.
// A digest it cannot read matches nothing.
func MatchTemplateDigest(digest, value string) bool {
	c, salt, sum, err := parseTemplateDigest(digest)
	if err != nil {
		return false
	}
	got := digests.key(c, salt, value, uint32(len(sum)))
	return subtle.ConstantTimeCompare(got, sum) == 1
}

func parseTemplateDigest(s string) (Cost, []byte, []byte, error) {
	if !strings.HasPrefix(s, templatePrefix) || strings.ContainsAny(s, ", \t\n\"") {
		return Cost{}, nil, nil, ErrFormat
	}
	c, salt, sum, err := parse(prefix + strings.ReplaceAll(strings.TrimPrefix(s, templatePrefix), ";", ","))
	if err == nil && (c.MemoryKiB > maxTemplateCost.MemoryKiB || c.Time > maxTemplateCost.Time || c.Threads > maxTemplateCost.Threads) {
		err = ErrFormat
	}
	return c, salt, sum, err
}

// maxTemplateCost bounds the cost of the template digests a plan checks:
// they come from VMs' metadata, which whoever manages the hypervisor can
// write, and a plan must not spend minutes on one.
var maxTemplateCost = Cost{MemoryKiB: 64 * 1024, Time: 8, Threads: 4}

// LegacyTemplateDigest is the template digest of the first release that had
// them: 22 characters of base64url, of a salt derived as TemplateDigest's
// but not recorded, so only the owner can check it. Plans compare VMs made
// then with it, and seal what they create with TemplateDigest.
func LegacyTemplateDigest(lineage, driverType, setting, value string) string {
	mac := hmac.New(sha256.New, []byte(lineage))
	mac.Write([]byte("novacron template setting\x00" + driverType + "\x00" + setting))
	salt := mac.Sum(nil)[:saltLen]
	sum := digests.key(templateCost, salt, value, templateHashLen)
	return base64.RawURLEncoding.EncodeToString(sum)
}
