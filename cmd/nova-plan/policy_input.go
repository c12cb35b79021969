package main

import (
	"encoding/json"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// policyInput is the document policies read as input (docs/cli.md, Policy
// checks): the plan document of docs/json-format.md, with the spec's
// fleets beside its changes.
type policyInput struct {
	jsonPlan
	Fleets []policyFleet `json:"fleets"`
}

// policyFleet is a fleet or vm block as the spec declares it.
type policyFleet struct {
	Address      string           `json:"address"`
	Kind         string           `json:"kind"`
	Name         string           `json:"name"`
	Provider     string           `json:"provider"`
	ProviderType string           `json:"provider_type"`
	Template     string           `json:"template"`
	Count        int              `json:"count"`
	DependsOn    []string         `json:"depends_on"`
	Rollout      *policyRollout   `json:"rollout"`
	Lifecycle    policyLifecycle  `json:"lifecycle"`
	Instances    []policyInstance `json:"instances"`
}

type policyRollout struct {
	BatchSize      int `json:"batch_size"`
	MaxUnavailable int `json:"max_unavailable"`
}

type policyLifecycle struct {
	PreventDestroy      bool     `json:"prevent_destroy"`
	CreateBeforeDestroy bool     `json:"create_before_destroy"`
	IgnoreChanges       []string `json:"ignore_changes"`
}

// policyInstance is one VM a fleet declares, with the values the spec
// gives it (host is "" when placement chooses).
type policyInstance struct {
	Address  string            `json:"address"`
	Name     string            `json:"name"`
	Host     string            `json:"host"`
	CPU      int               `json:"cpu"`
	MemoryGB float64           `json:"memory_gb"`
	DiskGB   int               `json:"disk_gb"`
	Power    string            `json:"power"`
	Tags     map[string]string `json:"tags"`
}

// policyDocument encodes the input of a policy check of p.
func policyDocument(p *plan.Plan, s *spec.Spec) ([]byte, error) {
	in := policyInput{jsonPlan: planDocument(p), Fleets: []policyFleet{}}
	if s != nil {
		for _, f := range s.Fleets {
			in.Fleets = append(in.Fleets, toPolicyFleet(f))
		}
	}
	return json.Marshal(in)
}

func toPolicyFleet(f *spec.Fleet) policyFleet {
	pf := policyFleet{
		Address: f.Address(), Kind: f.Kind.String(), Name: f.Name, Count: len(f.Instances),
		DependsOn: nonNil(f.DependsOn), Instances: make([]policyInstance, 0, len(f.Instances)),
		Lifecycle: policyLifecycle{PreventDestroy: f.Lifecycle.PreventDestroy, CreateBeforeDestroy: f.Lifecycle.CreateBeforeDestroy,
			IgnoreChanges: nonNil(f.Lifecycle.IgnoreChanges)},
	}
	if f.Provider != nil {
		pf.Provider, pf.ProviderType = f.Provider.Key(), f.Provider.Type
	}
	if f.Template != nil {
		pf.Template = f.Template.Name
	}
	if f.Rollout != nil {
		pf.Rollout = &policyRollout{BatchSize: f.Rollout.BatchSize, MaxUnavailable: f.Rollout.MaxUnavailable}
	}
	for _, i := range f.Instances {
		tags := i.Tags
		if tags == nil {
			tags = map[string]string{}
		}
		pf.Instances = append(pf.Instances, policyInstance{Address: i.Address, Name: i.Name, Host: i.Host, CPU: i.CPU,
			MemoryGB: float64(i.MemoryMiB) / 1024, DiskGB: i.DiskGB, Power: string(i.Power), Tags: tags})
	}
	return pf
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
