package gcetest

// The JSON shapes of compute/v1 the server reads and writes. 64-bit
// integers are strings on the wire, as in Google's discovery document.

type wireInstance struct {
	Kind              string            `json:"kind,omitempty"`
	ID                string            `json:"id,omitempty"`
	Name              string            `json:"name"`
	Zone              string            `json:"zone,omitempty"`
	MachineType       string            `json:"machineType"`
	Status            string            `json:"status,omitempty"`
	Labels            map[string]string `json:"labels,omitempty"`
	LabelFingerprint  string            `json:"labelFingerprint,omitempty"`
	Disks             []wireDisk        `json:"disks"`
	NetworkInterfaces []wireNIC         `json:"networkInterfaces"`
	Metadata          *wireMetadata     `json:"metadata,omitempty"`
	CreationTimestamp string            `json:"creationTimestamp,omitempty"`
	SelfLink          string            `json:"selfLink,omitempty"`
}

type wireDisk struct {
	Kind             string          `json:"kind,omitempty"`
	Boot             bool            `json:"boot,omitempty"`
	AutoDelete       bool            `json:"autoDelete,omitempty"`
	Type             string          `json:"type,omitempty"`
	Mode             string          `json:"mode,omitempty"`
	DeviceName       string          `json:"deviceName,omitempty"`
	Source           string          `json:"source,omitempty"`
	DiskSizeGb       string          `json:"diskSizeGb,omitempty"`
	InitializeParams *wireInitParams `json:"initializeParams,omitempty"`
}

type wireInitParams struct {
	DiskName    string `json:"diskName,omitempty"`
	SourceImage string `json:"sourceImage,omitempty"`
	DiskSizeGb  string `json:"diskSizeGb,omitempty"`
}

type wireNIC struct {
	Name       string `json:"name,omitempty"`
	Network    string `json:"network,omitempty"`
	Subnetwork string `json:"subnetwork,omitempty"`
	NetworkIP  string `json:"networkIP,omitempty"`
}

type wireMetadata struct {
	Kind        string         `json:"kind,omitempty"`
	Fingerprint string         `json:"fingerprint,omitempty"`
	Items       []wireMetaItem `json:"items,omitempty"`
}

type wireMetaItem struct {
	Key   string  `json:"key"`
	Value *string `json:"value,omitempty"`
}

type wireOperation struct {
	Kind          string        `json:"kind"`
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	Zone          string        `json:"zone"`
	OperationType string        `json:"operationType"`
	TargetLink    string        `json:"targetLink"`
	Status        string        `json:"status"`
	Progress      int           `json:"progress"`
	InsertTime    string        `json:"insertTime"`
	SelfLink      string        `json:"selfLink"`
	Error         *wireOpErrors `json:"error,omitempty"`
}

type wireOpErrors struct {
	Errors []wireOpError `json:"errors"`
}

type wireOpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type wireList struct {
	Kind          string         `json:"kind"`
	ID            string         `json:"id"`
	Items         []wireInstance `json:"items,omitempty"`
	NextPageToken string         `json:"nextPageToken,omitempty"`
	SelfLink      string         `json:"selfLink"`
}

type wireAggregated struct {
	Kind          string                    `json:"kind"`
	ID            string                    `json:"id"`
	Items         map[string]wireScopedList `json:"items"`
	NextPageToken string                    `json:"nextPageToken,omitempty"`
	SelfLink      string                    `json:"selfLink"`
}

type wireScopedList struct {
	Instances []wireInstance `json:"instances,omitempty"`
	Warning   *wireWarning   `json:"warning,omitempty"`
}

type wireWarning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type wireSetLabels struct {
	Labels           map[string]string `json:"labels"`
	LabelFingerprint string            `json:"labelFingerprint"`
}

type wireSetMachineType struct {
	MachineType string `json:"machineType"`
}

type wireResize struct {
	SizeGb string `json:"sizeGb"`
}
