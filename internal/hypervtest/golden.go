package hypervtest

import (
	"crypto/sha256"
	"encoding/hex"
)

// golden pins the scripts the server runs: the SHA-256 of each script's
// constant text (engine/driver/hyperv/scripts/prelude.ps1 followed by the
// script), by script name. A changed script is refused until its digest
// here changes too, with its model in scripts*.go if its behaviour did:
//
//	cd engine/driver/hyperv/scripts && cat prelude.ps1 NAME.ps1 | sha256sum
var golden = map[string]string{
	"08c9bf2f91052ce8e8a15eba24875ad623d7d8fa07ce7741386e957e913687dc": "inventory",
	"ee47b8dc69fd16fb95af8785169d06645bb5d324509d975868ca02697ca7d950": "check",
	"743db28b96a3ad507940b4569d8f3497558b87b3916e4f0b1b074b4a3775ba83": "template",
	"fe7e835bda3b631cd362d9e2356e2acb6aab1f6a98baa1a7abea3928c281d0b5": "create",
	"d709fb33c35d3d4598625d54b5f6bd45eb4d700dcb56200fb23c6ed62bc369d4": "update",
	"3225e4dffebabd98086ae513ede538aa39d5d41203d0ed8ef71caec140f5ca1c": "delete",
	"707d86e4c9fc5a90c5d7d4e5f9759994dbe73e126ebfdfbabe4bdcf138c92779": "migrate",
}

// Known returns the name of the script whose constant text is body, and
// false for a script the server would refuse.
func Known(body string) (string, bool) {
	sum := sha256.Sum256([]byte(body))
	name, ok := golden[hex.EncodeToString(sum[:])]
	return name, ok
}
