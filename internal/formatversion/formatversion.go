package formatversion

import (
	"encoding/json"
	"strconv"
)

// Parse returns the version raw holds, and false when raw is not one
// NovaCron could have written: absent, not a plain whole number (a string,
// null, 2.5, 1e99), beyond an int, or below 1.
func Parse(raw json.RawMessage) (int, bool) {
	if len(raw) == 0 || raw[0] < '1' || raw[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseInt(string(raw), 10, 0)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

// Describe names the value of field as the file has it, for a message:
// `no format_version` when it is absent, else `format_version is 1e99`.
func Describe(field string, raw json.RawMessage) string {
	if raw == nil {
		return "no " + field
	}
	return field + " is " + string(raw)
}
