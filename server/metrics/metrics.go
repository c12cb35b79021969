package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/server/estate"
)

var _ estate.Observer = (*Metrics)(nil)

// Metrics is the server's registry and its collectors.
type Metrics struct {
	reg           *prometheus.Registry
	applies       *prometheus.CounterVec
	applyDuration *prometheus.HistogramVec
	actions       *prometheus.CounterVec
	drift         *prometheus.GaugeVec
	invRead       *prometheus.HistogramVec
	invErrors     *prometheus.CounterVec
	vms           *vmCounts
	requests      *prometheus.CounterVec
	reqDuration   *prometheus.HistogramVec
}

// New returns the metrics in a registry of their own (not Prometheus's
// global one), with the Go runtime's and the process's collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		applies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nova_applies_total", Help: "Finished runs (applies and VM actions) by workspace, operation and outcome.",
		}, []string{"workspace", "operation", "outcome"}),
		applyDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nova_apply_duration_seconds", Help: "How long finished runs took, from start to finish.",
			Buckets: []float64{0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600},
		}, []string{"workspace", "operation"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nova_actions_total", Help: "Finished changes of runs by plan action and outcome.",
		}, []string{"action", "outcome"}),
		drift: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "nova_drift_vms", Help: "VMs the last refresh of the workspace found drifted from its spec.",
		}, []string{"workspace"}),
		invRead: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nova_inventory_read_seconds", Help: "How long reading a provider's inventory took.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"provider"}),
		invErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nova_inventory_errors_total", Help: "Inventory reads of a provider that failed.",
		}, []string{"provider"}),
		vms:      newVMCounts(),
		requests: newRequests(),
		reqDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nova_http_request_duration_seconds", Help: "How long HTTP requests took, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.applies, m.applyDuration, m.actions, m.drift, m.invRead, m.invErrors, m.vms,
		m.requests, m.reqDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the metrics are in.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// InventoryRead records one read of a provider's inventory.
func (m *Metrics) InventoryRead(provider string, d time.Duration, err error) {
	m.invRead.WithLabelValues(provider).Observe(d.Seconds())
	errs := m.invErrors.WithLabelValues(provider) // a 0 series from the first read on
	if err != nil {
		errs.Inc()
	}
}

// RunFinished records a finished run.
func (m *Metrics) RunFinished(r *estate.Run, d time.Duration) {
	op := oneOf(r.Operation, operations)
	m.applies.WithLabelValues(r.Workspace, op, oneOf(string(r.Status), runOutcomes)).Inc()
	m.applyDuration.WithLabelValues(r.Workspace, op).Observe(d.Seconds())
}

// ChangeFinished records a finished change of a run: action is a plan
// action (create, update, …), outcome succeeded, failed or skipped.
func (m *Metrics) ChangeFinished(action, outcome string) {
	if _, err := plan.ParseAction(action); err != nil {
		action = other
	}
	m.actions.WithLabelValues(action, oneOf(outcome, changeOutcomes)).Inc()
}

// Drift records the drifted VMs a refresh of workspace found.
func (m *Metrics) Drift(workspace string, n int) {
	m.drift.WithLabelValues(workspace).Set(float64(n))
}

// Inventory replaces the VM counts with those of vms, the whole listing.
func (m *Metrics) Inventory(vms []estate.VM) { m.vms.set(vms) }

// other stands for a label value outside its fixed set, which keeps
// every label's values bounded.
const other = "other"

var (
	operations     = set("apply", "destroy", "create", "delete", "start", "stop", "restart", "migrate")
	runOutcomes    = set(string(estate.RunSucceeded), string(estate.RunFailed))
	changeOutcomes = set("succeeded", "failed", "skipped")
	powers         = set("running", "stopped")
)

func set(vs ...string) map[string]bool {
	s := map[string]bool{}
	for _, v := range vs {
		s[v] = true
	}
	return s
}

func oneOf(v string, s map[string]bool) string {
	if s[v] {
		return v
	}
	return other
}
