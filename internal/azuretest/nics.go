package azuretest

import (
	"context"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	networkfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8/fake"
)

// nicServer answers the InterfacesClient methods the driver uses.
func (s *Store) nicServer() networkfake.InterfacesServer {
	return networkfake.InterfacesServer{
		BeginCreateOrUpdate: s.createNIC,
		Get:                 s.getNIC,
		BeginDelete:         s.deleteNIC,
	}
}

func (s *Store) createNIC(_ context.Context, rg, name string, nic armnetwork.Interface, _ *armnetwork.InterfacesClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armnetwork.InterfacesClientCreateOrUpdateResponse], errResp azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !s.group(rg):
		errResp.SetResponseError(http.StatusNotFound, "ResourceGroupNotFound")
		return
	case !s.subnetsKnown(nic.Properties):
		errResp.SetResponseError(http.StatusBadRequest, "InvalidResourceReference")
		return
	case !validTags(nic.Tags):
		errResp.SetResponseError(http.StatusBadRequest, "InvalidTagNameCharacters")
		return
	}
	nic.ID = ptr(s.id("Microsoft.Network/networkInterfaces", name))
	nic.Name, nic.Type = ptr(name), ptr("Microsoft.Network/networkInterfaces")
	s.nics[strings.ToLower(name)] = clone(&nic)
	resp.AddNonTerminalResponse(http.StatusCreated, nil)
	resp.SetTerminalResponse(http.StatusOK, armnetwork.InterfacesClientCreateOrUpdateResponse{Interface: *clone(&nic)}, nil)
	return
}

func (s *Store) getNIC(_ context.Context, rg, name string, _ *armnetwork.InterfacesClientGetOptions) (resp azfake.Responder[armnetwork.InterfacesClientGetResponse], errResp azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	nic := s.nics[strings.ToLower(name)]
	if !s.group(rg) || nic == nil {
		errResp.SetResponseError(http.StatusNotFound, "NotFound")
		return
	}
	resp.SetResponse(http.StatusOK, armnetwork.InterfacesClientGetResponse{Interface: *clone(nic)}, nil)
	return
}

func (s *Store) deleteNIC(_ context.Context, rg, name string, _ *armnetwork.InterfacesClientBeginDeleteOptions) (resp azfake.PollerResponder[armnetwork.InterfacesClientDeleteResponse], errResp azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(name)
	if !s.group(rg) {
		errResp.SetResponseError(http.StatusNotFound, "ResourceGroupNotFound")
		return
	}
	if s.nics[key] != nil && s.nicInUse(s.id("Microsoft.Network/networkInterfaces", name)) {
		errResp.SetResponseError(http.StatusBadRequest, "NicInUse")
		return
	}
	if s.nics[key] != nil {
		delete(s.nics, key)
		resp.AddNonTerminalResponse(http.StatusAccepted, nil)
	}
	resp.SetTerminalResponse(http.StatusOK, armnetwork.InterfacesClientDeleteResponse{}, nil)
	return
}

func (s *Store) subnetsKnown(p *armnetwork.InterfacePropertiesFormat) bool {
	if p == nil || len(p.IPConfigurations) == 0 {
		return false
	}
	for _, c := range p.IPConfigurations {
		if c == nil || c.Properties == nil || c.Properties.Subnet == nil || c.Properties.Subnet.ID == nil || !s.knownSubnet(*c.Properties.Subnet.ID) {
			return false
		}
	}
	return true
}

func (s *Store) knownSubnet(id string) bool {
	for _, x := range s.cfg.Subnets {
		if strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}

// nicsFree: every network interface a VM names exists and no other VM
// uses it.
func (s *Store) nicsFree(p *armcompute.NetworkProfile) bool {
	if p == nil || len(p.NetworkInterfaces) == 0 {
		return false
	}
	for _, ref := range p.NetworkInterfaces {
		if ref == nil || ref.ID == nil || s.nicByID(*ref.ID) == nil || s.nicInUse(*ref.ID) {
			return false
		}
	}
	return true
}

func (s *Store) nicByID(id string) *armnetwork.Interface {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !s.group(rid.ResourceGroupName) {
		return nil
	}
	return s.nics[strings.ToLower(rid.Name)]
}

func (s *Store) nicInUse(id string) bool {
	for _, vm := range s.vms {
		for _, ref := range nicRefs(vm) {
			if ref.ID != nil && strings.EqualFold(*ref.ID, id) {
				return true
			}
		}
	}
	return false
}

// dropAttached deletes the network interfaces a deleted VM takes with it
// (delete option Delete).
func (s *Store) dropAttached(vm *armcompute.VirtualMachine) {
	for _, ref := range nicRefs(vm) {
		if ref.ID != nil && ref.Properties != nil && ref.Properties.DeleteOption != nil && *ref.Properties.DeleteOption == armcompute.DeleteOptionsDelete {
			if rid, err := arm.ParseResourceID(*ref.ID); err == nil {
				delete(s.nics, strings.ToLower(rid.Name))
			}
		}
	}
}

func nicRefs(vm *armcompute.VirtualMachine) []*armcompute.NetworkInterfaceReference {
	if vm.Properties == nil || vm.Properties.NetworkProfile == nil {
		return nil
	}
	var out []*armcompute.NetworkInterfaceReference
	for _, r := range vm.Properties.NetworkProfile.NetworkInterfaces {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}
