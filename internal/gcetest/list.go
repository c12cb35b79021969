package gcetest

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// maxPage is the most instances a list page holds (Compute Engine's).
const maxPage = 500

// filterRe reads the filters the server knows: labels.KEY:* (the label
// is set) and labels.KEY = "VALUE".
var filterRe = regexp.MustCompile(`^labels\.([a-z][a-z0-9_-]*)\s*(?::\s*\*|=\s*"?([a-z0-9_-]*)"?)$`)

// selector is a parsed filter; the zero value selects everything.
type selector struct {
	key, value string
	any        bool
}

func (s *Server) selector(q string) (selector, *apiError) {
	f := strings.TrimSpace(q)
	if f == "" {
		return selector{}, nil
	}
	m := filterRe.FindStringSubmatch(f)
	if m == nil {
		return selector{}, s.unknown("filter %q is not labels.KEY:* or labels.KEY = \"VALUE\", the filters the test server knows", f)
	}
	return selector{key: m[1], value: m[2], any: strings.Contains(f, ":")}, nil
}

func (sel selector) match(i *Instance) bool {
	if sel.key == "" {
		return true
	}
	v, ok := i.Labels[sel.key]
	return ok && (sel.any || v == sel.value)
}

// page reads maxResults and pageToken: the page starts at the token's
// offset.
func page(r *http.Request) (start, size int, e *apiError) {
	q := r.URL.Query()
	size = maxPage
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxPage {
			return 0, 0, errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'maxResults': '%s'. Must be less than or equal to 500", v)
		}
		if n > 0 {
			size = n
		}
	}
	if t := q.Get("pageToken"); t != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(t, "gcetest-page-"))
		if err != nil || !strings.HasPrefix(t, "gcetest-page-") || n < 0 {
			return 0, 0, errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'pageToken': '%s'.", t)
		}
		start = n
	}
	return start, size, nil
}

// selected are the instances of zone ("" for all) that sel selects, by
// zone and name; s.mu is held.
func (s *Server) selected(zone string, sel selector) []*Instance {
	var out []*Instance
	for _, k := range slices.Sorted(maps.Keys(s.instances)) {
		i := s.instances[k]
		if (zone == "" || i.Zone == zone) && sel.match(i) {
			out = append(out, i)
		}
	}
	return out
}

// cut is one page of all and the next page's token.
func cut(all []*Instance, start, size int) ([]*Instance, string) {
	start = min(start, len(all))
	end := min(start+size, len(all))
	next := ""
	if end < len(all) {
		next = "gcetest-page-" + strconv.Itoa(end)
	}
	return all[start:end], next
}

// listed answers a list request with the page of zone's instances ("":
// every zone's) that its filter selects, and the next page's token; zone
// is checked under s.mu, which is held while each answers.
func (s *Server) listed(r *http.Request, zone string, each func(items []*Instance, next string) any) (any, *apiError) {
	sel, e := s.selector(r.URL.Query().Get("filter"))
	if e != nil {
		return nil, e
	}
	start, size, e := page(r)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if zone != "" {
		if e := s.knownZone(zone); e != nil {
			return nil, e
		}
	}
	items, next := cut(s.selected(zone, sel), start, size)
	return each(items, next), nil
}

func (s *Server) listInstances(r *http.Request, m []string) (any, *apiError) {
	return s.listed(r, m[2], func(items []*Instance, next string) any {
		out := wireList{Kind: "compute#instanceList", ID: "projects/" + s.Project + "/zones/" + m[2] + "/instances",
			NextPageToken: next, SelfLink: s.zoneLink(m[2]) + "/instances"}
		for _, i := range items {
			out.Items = append(out.Items, s.wire(i))
		}
		return out
	})
}

func (s *Server) aggregatedList(r *http.Request, m []string) (any, *apiError) {
	return s.listed(r, "", func(items []*Instance, next string) any {
		out := wireAggregated{Kind: "compute#instanceAggregatedList", ID: "projects/" + s.Project + "/aggregated/instances",
			Items: map[string]wireScopedList{}, NextPageToken: next, SelfLink: base + "projects/" + s.Project + "/aggregated/instances"}
		for _, i := range items {
			l := out.Items["zones/"+i.Zone]
			l.Instances = append(l.Instances, s.wire(i))
			out.Items["zones/"+i.Zone] = l
		}
		for _, z := range s.Zones {
			if _, ok := out.Items["zones/"+z]; !ok {
				out.Items["zones/"+z] = wireScopedList{Warning: &wireWarning{Code: "NO_RESULTS_ON_PAGE", Message: "There are no results for scope 'zones/" + z + "' on this page."}}
			}
		}
		return out
	})
}
