package spec

import "github.com/hashicorp/hcl/v2"

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "provider", LabelNames: []string{"type", "name"}},
		{Type: "template", LabelNames: []string{"name"}},
		{Type: "fleet", LabelNames: []string{"name"}},
		{Type: "vm", LabelNames: []string{"name"}},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "import"},
		{Type: "moved"},   // moved.go
		{Type: "removed"}, // moved.go
		{Type: "drift"},
		{Type: "novacron"}, // read by ReadBackend, before Load; Load only checks it
		{Type: "module", LabelNames: []string{"name"}}, // modules.go
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true}, {Name: "error_message", Required: true},
	},
}

var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value", Required: true}, {Name: "description"}, {Name: "sensitive"},
	},
}

// instanceAttrs are the fleet attributes evaluated per instance.
var instanceAttrs = []string{"name", "host", "cpu", "memory_gb", "disk_gb", "power", "tags"}

func fleetSchema(kind Kind) *hcl.BodySchema {
	attrs := []hcl.AttributeSchema{
		{Name: "provider"}, {Name: "providers"}, {Name: "sizing"}, {Name: "template", Required: true}, {Name: "depends_on"},
		{Name: "cpu", Required: true}, {Name: "memory_gb", Required: true},
		{Name: "disk_gb"}, {Name: "name"}, {Name: "host"}, {Name: "power"}, {Name: "tags"},
	}
	blocks := []hcl.BlockHeaderSchema{{Type: "lifecycle"}, {Type: "drift"}}
	if kind == KindFleet {
		attrs = append(attrs, hcl.AttributeSchema{Name: "count"}, hcl.AttributeSchema{Name: "for_each"})
		blocks = append(blocks, hcl.BlockHeaderSchema{Type: "placement"}, hcl.BlockHeaderSchema{Type: "rollout"})
	}
	return &hcl.BodySchema{Attributes: attrs, Blocks: blocks}
}

var placementSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "spread_by"}, {Name: "avoid_same_host_as"}, {Name: "prefer"}, {Name: "host_labels"}, {Name: "burst_to"},
	},
}

var rolloutSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "batch_size", Required: true}, {Name: "max_unavailable"}},
}

var lifecycleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "prevent_destroy"}, {Name: "create_before_destroy"}, {Name: "ignore_changes"},
	},
}

// ignorable are the attribute names lifecycle.ignore_changes accepts.
var ignorable = []string{"cpu", "memory_gb", "disk_gb", "power", "tags", "host"}
