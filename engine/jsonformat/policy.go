package jsonformat

import (
	"encoding/json"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// PolicyInput is the document policies read as input (docs/cli.md, Policy
// checks): the plan document, with the spec's fleets beside its changes.
// nova-plan and the server check plans with it.
type PolicyInput struct {
	Plan
	Fleets []PolicyFleet `json:"fleets"`
}

// PolicyFleet is a fleet or vm block as the spec declares it.
type PolicyFleet struct {
	Address      string           `json:"address"`
	Kind         string           `json:"kind"`
	Name         string           `json:"name"`
	Provider     string           `json:"provider"`
	ProviderType string           `json:"provider_type"`
	Template     string           `json:"template"`
	Count        int              `json:"count"`
	DependsOn    []string         `json:"depends_on"`
	Rollout      *PolicyRollout   `json:"rollout"`
	Lifecycle    PolicyLifecycle  `json:"lifecycle"`
	Instances    []PolicyInstance `json:"instances"`
}

// PolicyRollout is a fleet's rollout block.
type PolicyRollout struct {
	BatchSize      int `json:"batch_size"`
	MaxUnavailable int `json:"max_unavailable"`
}

// PolicyLifecycle is a fleet's lifecycle block.
type PolicyLifecycle struct {
	PreventDestroy      bool     `json:"prevent_destroy"`
	CreateBeforeDestroy bool     `json:"create_before_destroy"`
	IgnoreChanges       []string `json:"ignore_changes"`
}

// PolicyInstance is one VM a fleet declares, with the values the spec
// gives it (host is "" when placement chooses).
type PolicyInstance struct {
	Address  string            `json:"address"`
	Name     string            `json:"name"`
	Host     string            `json:"host"`
	CPU      int               `json:"cpu"`
	MemoryGB float64           `json:"memory_gb"`
	DiskGB   int               `json:"disk_gb"`
	Power    string            `json:"power"`
	Tags     map[string]string `json:"tags"`
}

// PolicyDocument encodes the input of a policy check of p.
func PolicyDocument(p *plan.Plan, s *spec.Spec) ([]byte, error) {
	in := PolicyInput{Plan: PlanDocument(p), Fleets: []PolicyFleet{}}
	if s != nil {
		for _, f := range s.Fleets {
			in.Fleets = append(in.Fleets, policyFleetOf(f))
		}
	}
	return json.Marshal(in)
}

func policyFleetOf(f *spec.Fleet) PolicyFleet {
	pf := PolicyFleet{
		Address: f.Address(), Kind: f.Kind.String(), Name: f.Name, Count: len(f.Instances),
		DependsOn: nonNilStrings(f.DependsOn), Instances: make([]PolicyInstance, 0, len(f.Instances)),
		Lifecycle: PolicyLifecycle{PreventDestroy: f.Lifecycle.PreventDestroy, CreateBeforeDestroy: f.Lifecycle.CreateBeforeDestroy,
			IgnoreChanges: nonNilStrings(f.Lifecycle.IgnoreChanges)},
	}
	if f.Provider != nil {
		pf.Provider, pf.ProviderType = f.Provider.Key(), f.Provider.Type
	}
	if f.Template != nil {
		pf.Template = f.Template.Name
	}
	if f.Rollout != nil {
		pf.Rollout = &PolicyRollout{BatchSize: f.Rollout.BatchSize, MaxUnavailable: f.Rollout.MaxUnavailable}
	}
	for _, i := range f.Instances {
		tags := i.Tags
		if tags == nil {
			tags = map[string]string{}
		}
		pf.Instances = append(pf.Instances, PolicyInstance{Address: i.Address, Name: i.Name, Host: i.Host, CPU: i.CPU,
			MemoryGB: float64(i.MemoryMiB) / 1024, DiskGB: i.DiskGB, Power: string(i.Power), Tags: tags})
	}
	return pf
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
