package formatversion_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/formatversion"
)

func TestParse(t *testing.T) {
	type got struct {
		V        int
		OK       bool
		Describe string
	}
	for _, tt := range []struct {
		raw  json.RawMessage
		want got
	}{
		{json.RawMessage(`1`), got{1, true, "v is 1"}},
		{json.RawMessage(`3`), got{3, true, "v is 3"}},
		{json.RawMessage(`0`), got{0, false, "v is 0"}},
		{json.RawMessage(`-1`), got{0, false, "v is -1"}},
		{json.RawMessage(`"2"`), got{0, false, `v is "2"`}},
		{json.RawMessage(`1e99`), got{0, false, "v is 1e99"}},
		{json.RawMessage(`2.0`), got{0, false, "v is 2.0"}},
		{json.RawMessage(`null`), got{0, false, "v is null"}},
		{json.RawMessage(`99999999999999999999`), got{0, false, "v is 99999999999999999999"}},
		{json.RawMessage(`+2`), got{0, false, "v is +2"}},
		{nil, got{0, false, "no v"}},
	} {
		v, ok := formatversion.Parse(tt.raw)
		if diff := cmp.Diff(tt.want, got{v, ok, formatversion.Describe("v", tt.raw)}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.raw, diff)
		}
	}
}
