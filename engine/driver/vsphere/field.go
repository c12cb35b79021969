package vsphere

import (
	"context"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// FieldName is the custom attribute of VMs that holds NovaCron's record.
const FieldName = "novacron"

// recordField returns the key of the custom attribute FieldName, defining
// it on first use, or noField where vCenter has no custom attributes or
// the user may not define one: NovaCron then keeps its record in the
// VM's annotation only.
func recordField(ctx context.Context, c *govmomi.Client) (int32, error) {
	m, err := object.GetCustomFieldsManager(c.Client)
	if err != nil {
		return noField, nil // not a vCenter (ErrNotSupported)
	}
	if key, ok, err := findField(ctx, m); err != nil || ok {
		return key, err
	}
	def, err := m.Add(ctx, FieldName, "VirtualMachine", nil, nil)
	switch {
	case err == nil:
		return def.Key, nil
	case fault.Is(err, &types.DuplicateName{}): // another run defined it meanwhile
		key, _, err := findField(ctx, m)
		return key, err
	case fault.Is(err, &types.NoPermission{}):
		return noField, nil
	}
	return noField, fail(err, "defining the custom attribute %q", FieldName)
}

// findField looks the custom attribute up; ok is false when it is not
// defined for VMs.
func findField(ctx context.Context, m *object.CustomFieldsManager) (int32, bool, error) {
	defs, err := m.Field(ctx)
	if err != nil {
		return noField, false, fail(err, "reading vCenter's custom attributes")
	}
	for _, def := range defs {
		if def.Name == FieldName && (def.ManagedObjectType == "" || def.ManagedObjectType == "VirtualMachine") {
			return def.Key, true, nil
		}
	}
	return noField, false, nil
}

// fieldValue is the value of the custom attribute key among a VM's
// custom values, or "".
func fieldValue(values []types.BaseCustomFieldValue, key int32) string {
	if key == noField {
		return ""
	}
	for _, v := range values {
		if s, ok := v.(*types.CustomFieldStringValue); ok && s.Key == key {
			return s.Value
		}
	}
	return ""
}
