package state

import (
	"fmt"
	"strconv"
)

// AppendHistoryLine appends r as one line of history.jsonl, its line end
// included: the bytes a json.Encoder without HTML escaping writes for r,
// by hand. An apply appends one record per change, and reflection was most
// of the cost of appending 100,000 of them. It fails, appending nothing,
// only for a time that RFC 3339 cannot hold (a year outside 0–9999), as
// encoding/json does.
func AppendHistoryLine(b []byte, r HistoryRecord) ([]byte, error) {
	n := len(b)
	b = appendString(append(b, `{"kind":`...), string(r.Kind))
	b = append(b, `,"time":"`...)
	t, err := r.Time.AppendText(b)
	if err != nil { // AppendText returns nil then
		return b[:n], fmt.Errorf("encoding the time of a history record: %w", err)
	}
	b = appendString(append(t, `","run_id":`...), r.RunID)
	b = appendOptional(b, `,"who":`, r.Who)
	b = appendOptional(b, `,"operation":`, r.Operation)
	b = appendOptional(b, `,"plan_digest":`, r.PlanDigest)
	b = appendOptional(b, `,"address":`, r.Address)
	b = appendOptional(b, `,"action":`, r.Action)
	b = appendOptional(b, `,"outcome":`, string(r.Outcome))
	b = appendOptional(b, `,"error":`, r.Error)
	if r.Serial != 0 {
		b = strconv.AppendUint(append(b, `,"serial":`...), r.Serial, 10)
	}
	return append(b, '}', '\n'), nil
}

// appendOptional appends a string field that omitempty leaves out when
// empty: key (with its comma and colon) and value.
func appendOptional(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	return appendString(append(b, key...), value)
}
