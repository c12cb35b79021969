package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/internal/formatversion"
	"github.com/novacron/novacron/internal/regularfile"
)

// envelope is a saved plan file: the plan and a checksum over it.
type envelope struct {
	Kind     string          `json:"kind"`
	Checksum string          `json:"checksum"`
	Plan     json.RawMessage `json:"plan"`
}

const fileKind = "novacron-plan"

// WriteFile saves a plan atomically: the file is complete or absent.
func WriteFile(path string, p *Plan) error {
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	data, err := json.Marshal(envelope{Kind: fileKind, Checksum: hex.EncodeToString(sum[:]), Plan: body})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".plan-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// MaxFileBytes is the largest saved plan ReadFile reads: 1 GiB, some ten
// times a plan that creates 100,000 VMs.
const MaxFileBytes = 1 << 30

// ReadFile loads and checks a saved plan. What is not a regular file
// (/dev/zero, a FIFO) is refused before anything is read.
func ReadFile(path string) (*Plan, error) {
	data, err := regularfile.Read(path, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil || env.Kind != fileKind {
		return nil, fmt.Errorf("%s is not a NovaCron plan file (or it is damaged): save one with `nova-plan plan -out=FILE`", path)
	}
	sum := sha256.Sum256(env.Plan)
	if hex.EncodeToString(sum[:]) != env.Checksum {
		return nil, fmt.Errorf("%s is corrupt: its checksum does not match its contents", path)
	}
	var version struct {
		FormatVersion json.RawMessage `json:"format_version"`
	}
	if err := json.Unmarshal(env.Plan, &version); err != nil {
		return nil, fmt.Errorf("%s is damaged or not a NovaCron plan file: its plan is not a JSON object (%v): make the plan again with `nova-plan plan -out=FILE`", path, err)
	}
	if v, ok := formatversion.Parse(version.FormatVersion); !ok {
		return nil, fmt.Errorf("%s is damaged or not a NovaCron plan file (%s in its plan; nova-plan writes whole numbers from 1): it cannot be applied; make the plan again with `nova-plan plan -out=FILE`",
			path, formatversion.Describe("format_version", version.FormatVersion))
	} else if v < MovelessFormatVersion || v > FormatVersion {
		return nil, formatError(path, v)
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(env.Plan))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s is corrupt: %v", path, err)
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("%s is corrupt: %v", path, err)
	}
	if need := p.fileVersion(); p.FormatVersion < need {
		return nil, fmt.Errorf("%s is corrupt: it holds a move or a forget, which a plan of format version %d cannot hold (they need version %d)", path, p.FormatVersion, need)
	}
	return &p, nil
}

// fileVersion is the format version p is saved in: FormatVersion when it
// holds a move or a forget, else MovelessFormatVersion, so that a
// nova-plan that knows neither refuses only the plans it cannot apply, as
// saved by a newer nova-plan rather than with an unknown action.
func (p *Plan) fileVersion() int {
	for _, c := range p.Changes {
		if c.Action == Move || c.Action == Forget {
			return FormatVersion
		}
	}
	return MovelessFormatVersion
}

// formatError refuses a plan file of another format version than this
// build's (v is one nova-plan writes: garbage is refused as damage
// before), as Terraform refuses plans made by another Terraform: a newer
// one needs a newer nova-plan, an older one a new plan.
func formatError(path string, v int) error {
	what := "it was saved by an older nova-plan: make the plan again with this one (`nova-plan plan -out=FILE`)"
	if v > FormatVersion {
		what = "it was saved by a newer nova-plan: upgrade nova-plan to apply it, or make the plan again with this one"
	}
	return fmt.Errorf("%s has plan format version %d; this nova-plan reads versions %d and %d: %s", path, v, MovelessFormatVersion, FormatVersion, what)
}

// validate checks what the executor relies on.
func (p *Plan) validate() error {
	for i, c := range p.Changes {
		if c == nil || c.Address == "" {
			return fmt.Errorf("change %d has no address", i)
		}
		needBefore := c.Action != Create
		needAfter := c.Action != Delete && c.Action != Forget
		if (needBefore && c.Before == nil) || (needAfter && c.After == nil) {
			return fmt.Errorf("change %d (%s %s) lacks its before or after attributes", i, c.Action, c.Address)
		}
		writesMarker := c.Action == Create || c.Action == Replace || ((c.Action == Adopt || c.Action == Move) && c.Imported)
		if (needBefore && c.ID == "") || (writesMarker && c.Marker == nil) {
			return fmt.Errorf("change %d (%s %s) lacks its VM id or marker", i, c.Action, c.Address)
		}
		if _, ok := actionNames[c.Action]; !ok {
			return fmt.Errorf("change %d has no valid action", i)
		}
	}
	return nil
}

// Bind attaches the spec's templates to the changes that create VMs, and
// checks that the spec still says what the plan was made from.
func (p *Plan) Bind(s *spec.Spec) error {
	if s.Digest != p.SpecDigest {
		return &StaleError{"the spec files changed since it was made"}
	}
	fleets := map[string]*spec.Fleet{}
	for _, f := range s.Fleets {
		fleets[f.Address()] = f
	}
	for _, c := range p.Changes {
		if c.Action != Create && c.Action != Replace {
			continue
		}
		f := fleets[c.Fleet]
		if f == nil || f.TemplateFor(providerType(c.After.Provider)).ID() != c.After.Template {
			return &StaleError{fmt.Sprintf("the template of %s differs from the spec's", c.Address)}
		}
		c.Template = f.TemplateFor(providerType(c.After.Provider))
	}
	return nil
}
