package clitest

// Plan is `nova-plan plan -json`, the parts tests read.
type Plan struct {
	Changes []Change `json:"changes"`
}

// Change is a change of a Plan.
type Change struct {
	Address          string   `json:"address"`
	Action           string   `json:"action"`
	Provider         string   `json:"provider"`
	PreviousProvider string   `json:"previous_provider"`
	Reasons          []string `json:"reasons"`
	Restart          bool     `json:"restart"`
	Live             bool     `json:"live"`
	Batch            int      `json:"batch"`
}

// Actions returns "address action" lines of a plan, "(restart)" and
// "(live)" marked.
func (p Plan) Actions() []string {
	var out []string
	for _, c := range p.Changes {
		s := c.Address + " " + c.Action
		if c.Restart {
			s += " (restart)"
		}
		if c.Live {
			s += " (live)"
		}
		out = append(out, s)
	}
	return out
}
