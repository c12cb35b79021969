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
	"89e386cfce89f63b79e4d033b5a50ecb52e6cecfc95772bf62fd41292daa14f4": "inventory",
	"6dbcbdf07f2c0e28354a3afe81f62ce60625412842883d4740748e0744edaf71": "check",
	"35fa16a8a86cb95a5a65656cc9a77231f1ad75a75cc7d05705f7e0342b24ee15": "template",
	"9d9650c7c9ce6b01bfd8f946b74f609e558b7a78b09986c7d2a93b57c0bf83cb": "create",
	"e52bec784ef658433fa9984c1b184fa24b7dbf33a6ed5e3d89df524cd8c53cb1": "update",
	"2b41ad621bfa4c6559de5b58dd7c46fcb786e000c379044c7400d611189aeb11": "delete",
	"8032ab9c7ff10c5ba1eca54c8698ff625b17e86161454fcd97fe89b648cce730": "migrate",
}

// Known returns the name of the script whose constant text is body, and
// false for a script the server would refuse.
func Known(body string) (string, bool) {
	sum := sha256.Sum256([]byte(body))
	name, ok := golden[hex.EncodeToString(sum[:])]
	return name, ok
}
