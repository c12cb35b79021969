package azuretest

import (
	"context"
	"net/http"
	"slices"
	"strings"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	computefake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8/fake"
)

// vmServer answers the VirtualMachinesClient methods the driver uses;
// every other method fails as not implemented.
func (s *Store) vmServer() computefake.VirtualMachinesServer {
	return computefake.VirtualMachinesServer{
		BeginCreateOrUpdate: s.createVM,
		Get:                 s.getVM,
		NewListPager:        s.listVMs,
		BeginUpdate:         s.updateVM,
		BeginDelete:         s.deleteVM,
		BeginStart:          s.startVM,
		BeginDeallocate:     s.deallocateVM,
	}
}

type (
	createResp     = azfake.PollerResponder[armcompute.VirtualMachinesClientCreateOrUpdateResponse]
	updateResp     = azfake.PollerResponder[armcompute.VirtualMachinesClientUpdateResponse]
	deleteResp     = azfake.PollerResponder[armcompute.VirtualMachinesClientDeleteResponse]
	startResp      = azfake.PollerResponder[armcompute.VirtualMachinesClientStartResponse]
	deallocateResp = azfake.PollerResponder[armcompute.VirtualMachinesClientDeallocateResponse]
)

func (s *Store) createVM(_ context.Context, rg, name string, vm armcompute.VirtualMachine, o *armcompute.VirtualMachinesClientBeginCreateOrUpdateOptions) (resp createResp, errResp azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(name)
	if code, status := s.checkCreate(rg, key, &vm, o); code != "" {
		errResp.SetResponseError(status, code)
		return
	}
	s.stamp(name, &vm)
	s.vms[key], s.power[key] = clone(&vm), "running"
	resp.AddNonTerminalResponse(http.StatusCreated, nil)
	resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientCreateOrUpdateResponse{VirtualMachine: *s.view(key, false)}, nil)
	return
}

// checkCreate refuses what Azure refuses in a create request: an error
// code and HTTP status, or "".
func (s *Store) checkCreate(rg, key string, vm *armcompute.VirtualMachine, o *armcompute.VirtualMachinesClientBeginCreateOrUpdateOptions) (string, int) {
	p := vm.Properties
	switch {
	case !s.group(rg):
		return "ResourceGroupNotFound", http.StatusNotFound
	case s.vms[key] != nil && o != nil && o.IfNoneMatch != nil && *o.IfNoneMatch == "*":
		return "PreconditionFailed", http.StatusPreconditionFailed
	case s.vms[key] != nil:
		return "OperationNotAllowed", http.StatusConflict // this store does not overwrite VMs
	case vm.Location == nil || !strings.EqualFold(*vm.Location, s.cfg.Location):
		return "LocationRequired", http.StatusBadRequest
	case p == nil || p.HardwareProfile == nil || p.HardwareProfile.VMSize == nil || !s.knownSize(string(*p.HardwareProfile.VMSize)):
		return "InvalidParameter", http.StatusBadRequest
	case p.StorageProfile == nil || !s.knownImage(p.StorageProfile.ImageReference):
		return "PlatformImageNotFound", http.StatusNotFound
	case p.OSProfile == nil || p.OSProfile.AdminUsername == nil || p.OSProfile.LinuxConfiguration == nil ||
		p.OSProfile.LinuxConfiguration.SSH == nil || len(p.OSProfile.LinuxConfiguration.SSH.PublicKeys) == 0:
		return "InvalidParameter", http.StatusBadRequest
	case !s.nicsFree(p.NetworkProfile):
		return "InvalidResourceReference", http.StatusBadRequest
	case !validTags(vm.Tags):
		return "InvalidTagNameCharacters", http.StatusBadRequest
	}
	return "", 0
}

func (s *Store) getVM(_ context.Context, rg, name string, o *armcompute.VirtualMachinesClientGetOptions) (resp azfake.Responder[armcompute.VirtualMachinesClientGetResponse], errResp azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(name)
	if code, status := s.exists(rg, key); code != "" {
		errResp.SetResponseError(status, code)
		return
	}
	expand := o != nil && o.Expand != nil && *o.Expand == armcompute.InstanceViewTypesInstanceView
	resp.SetResponse(http.StatusOK, armcompute.VirtualMachinesClientGetResponse{VirtualMachine: *s.view(key, expand)}, nil)
	return
}

func (s *Store) listVMs(rg string, o *armcompute.VirtualMachinesClientListOptions) (resp azfake.PagerResponder[armcompute.VirtualMachinesClientListResponse]) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.group(rg) {
		resp.AddResponseError(http.StatusNotFound, "ResourceGroupNotFound")
		return
	}
	expand := o != nil && o.Expand != nil && *o.Expand == armcompute.ExpandTypeForListVMsInstanceView
	keys := make([]string, 0, len(s.vms))
	for k := range s.vms {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for page := range slices.Chunk(keys, s.cfg.PageSize) {
		var l armcompute.VirtualMachineListResult
		for _, k := range page {
			l.Value = append(l.Value, s.view(k, expand))
		}
		resp.AddPage(http.StatusOK, armcompute.VirtualMachinesClientListResponse{VirtualMachineListResult: l}, nil)
	}
	if len(keys) == 0 {
		resp.AddPage(http.StatusOK, armcompute.VirtualMachinesClientListResponse{}, nil)
	}
	return
}

func (s *Store) updateVM(_ context.Context, rg, name string, up armcompute.VirtualMachineUpdate, _ *armcompute.VirtualMachinesClientBeginUpdateOptions) (resp updateResp, errResp azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(name)
	if code, status := s.exists(rg, key); code != "" {
		errResp.SetResponseError(status, code)
		return
	}
	if code, status := s.checkUpdate(key, &up); code != "" {
		errResp.SetResponseError(status, code)
		return
	}
	vm := s.vms[key]
	if up.Tags != nil {
		vm.Tags = up.Tags
	}
	if p := up.Properties; p != nil && p.HardwareProfile != nil && p.HardwareProfile.VMSize != nil {
		vm.Properties.HardwareProfile.VMSize = p.HardwareProfile.VMSize
	}
	if size := diskSize(up.Properties); size != nil {
		vm.Properties.StorageProfile.OSDisk.DiskSizeGB = size
	}
	resp.AddNonTerminalResponse(http.StatusOK, nil)
	resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientUpdateResponse{VirtualMachine: *s.view(key, false)}, nil)
	return
}

// checkUpdate refuses what Azure refuses in an update: an unknown size, a
// disk that shrinks or grows while the VM is not deallocated, bad tags.
func (s *Store) checkUpdate(key string, up *armcompute.VirtualMachineUpdate) (string, int) {
	vm := s.vms[key]
	if p := up.Properties; p != nil && p.HardwareProfile != nil && p.HardwareProfile.VMSize != nil && !s.knownSize(string(*p.HardwareProfile.VMSize)) {
		return "InvalidParameter", http.StatusBadRequest
	}
	if size := diskSize(up.Properties); size != nil {
		cur := vm.Properties.StorageProfile.OSDisk.DiskSizeGB
		if cur != nil && *size < *cur {
			return "InvalidParameter", http.StatusBadRequest
		}
		if s.power[key] != "deallocated" {
			return "OperationNotAllowed", http.StatusConflict
		}
	}
	if up.Tags != nil && !validTags(up.Tags) {
		return "InvalidTagNameCharacters", http.StatusBadRequest
	}
	return "", 0
}

func (s *Store) deleteVM(_ context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginDeleteOptions) (resp deleteResp, errResp azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(name)
	if !s.group(rg) {
		errResp.SetResponseError(http.StatusNotFound, "ResourceGroupNotFound")
		return
	}
	if vm := s.vms[key]; vm != nil {
		s.dropAttached(vm)
		delete(s.vms, key)
		delete(s.power, key)
		resp.AddNonTerminalResponse(http.StatusAccepted, nil)
	}
	resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientDeleteResponse{}, nil)
	return
}

func (s *Store) startVM(_ context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginStartOptions) (resp startResp, errResp azfake.ErrorResponder) {
	if code, status := s.setPower(rg, name, "running"); code != "" {
		errResp.SetResponseError(status, code)
		return
	}
	resp.AddNonTerminalResponse(http.StatusAccepted, nil)
	resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientStartResponse{}, nil)
	return
}

func (s *Store) deallocateVM(_ context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginDeallocateOptions) (resp deallocateResp, errResp azfake.ErrorResponder) {
	if code, status := s.setPower(rg, name, "deallocated"); code != "" {
		errResp.SetResponseError(status, code)
		return
	}
	resp.AddNonTerminalResponse(http.StatusAccepted, nil)
	resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientDeallocateResponse{}, nil)
	return
}

func (s *Store) setPower(rg, name, state string) (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(name)
	if code, status := s.exists(rg, key); code != "" {
		return code, status
	}
	s.power[key] = state
	return "", 0
}

// exists: the resource group and the VM.
func (s *Store) exists(rg, key string) (string, int) {
	switch {
	case !s.group(rg):
		return "ResourceGroupNotFound", http.StatusNotFound
	case s.vms[key] == nil:
		return "ResourceNotFound", http.StatusNotFound
	}
	return "", 0
}

// view is a copy of a VM as Azure returns it, with its instance view
// when expanded.
func (s *Store) view(key string, expand bool) *armcompute.VirtualMachine {
	vm := clone(s.vms[key])
	if expand {
		vm.Properties.InstanceView = &armcompute.VirtualMachineInstanceView{Statuses: []*armcompute.InstanceViewStatus{
			{Code: ptr("ProvisioningState/succeeded")},
			{Code: ptr("PowerState/" + s.power[key])},
		}}
	}
	return vm
}

func diskSize(p *armcompute.VirtualMachineProperties) *int32 {
	if p == nil || p.StorageProfile == nil || p.StorageProfile.OSDisk == nil {
		return nil
	}
	return p.StorageProfile.OSDisk.DiskSizeGB
}

func (s *Store) knownSize(name string) bool {
	return slices.ContainsFunc(s.cfg.Sizes, func(x string) bool { return strings.EqualFold(x, name) })
}

func (s *Store) knownImage(ref *armcompute.ImageReference) bool {
	if ref == nil {
		return false
	}
	want := ""
	switch {
	case ref.ID != nil:
		want = *ref.ID
	case ref.Publisher != nil && ref.Offer != nil && ref.SKU != nil && ref.Version != nil:
		want = *ref.Publisher + ":" + *ref.Offer + ":" + *ref.SKU
	}
	return want != "" && slices.ContainsFunc(s.cfg.Images, func(x string) bool { return strings.EqualFold(x, want) })
}

// validTags: at most 50, names without <>%&\?/ of at most 512
// characters, values of at most 256.
func validTags(tags map[string]*string) bool {
	if len(tags) > 50 {
		return false
	}
	for k, v := range tags {
		if k == "" || len(k) > 512 || strings.ContainsAny(k, `<>%&\?/`) || (v != nil && len(*v) > 256) {
			return false
		}
	}
	return true
}
