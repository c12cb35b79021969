package ec2test

import (
	"fmt"
	"strings"
)

// taggable returns the tags of an instance or volume by ID.
func (s *Server) taggable(id string) (map[string]string, *apiError) {
	switch {
	case strings.HasPrefix(id, "i-"):
		found, err := s.instancesByID([]string{id})
		if err != nil {
			return nil, err
		}
		return found[0].tags, nil
	case strings.HasPrefix(id, "vol-"):
		v, err := s.volume(id)
		if err != nil {
			return nil, err
		}
		if v.tags == nil {
			v.tags = map[string]string{}
		}
		return v.tags, nil
	}
	return nil, apiErr("InvalidID", "The ID '%s' is not valid", id)
}

// createTags adds or overwrites tags on instances and volumes.
func createTags(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("ResourceId")
	tags, err := p.tags("Tag")
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(tags) == 0 {
		return nil, apiErr("MissingParameter", "The request must contain the parameters ResourceId and Tag")
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	return func() (any, *apiError) {
		sets, err := s.tagSets(ids)
		if err != nil {
			return nil, err
		}
		for _, set := range sets {
			n := len(set)
			for _, t := range tags {
				if _, ok := set[t.Key]; !ok {
					n++
				}
			}
			if n > maxTags {
				return nil, apiErr("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.")
			}
		}
		for _, set := range sets {
			for _, t := range tags {
				set[t.Key] = t.Value
			}
		}
		return ok2, nil
	}, nil
}

// deleteTags removes tags (those with the value given, when one is).
func deleteTags(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("ResourceId")
	var keys []tag
	for n := 1; n <= p.groups("Tag"); n++ {
		k, err := p.required(fmt.Sprintf("Tag.%d.Key", n))
		if err != nil {
			return nil, err
		}
		vk := fmt.Sprintf("Tag.%d.Value", n)
		t := tag{Key: k, Value: p.str(vk)}
		if !p.has(vk) {
			t.Value = "\x00any"
		}
		keys = append(keys, t)
	}
	if len(ids) == 0 {
		return nil, apiErr("MissingParameter", "The request must contain the parameter ResourceId")
	}
	return func() (any, *apiError) {
		sets, err := s.tagSets(ids)
		if err != nil {
			return nil, err
		}
		for _, set := range sets {
			if len(keys) == 0 {
				clear(set) // no Tag: every tag goes
			}
			for _, t := range keys {
				if v, ok := set[t.Key]; ok && (t.Value == "\x00any" || v == t.Value) {
					delete(set, t.Key)
				}
			}
		}
		return ok2, nil
	}, nil
}

// tagSets finds the tags of every resource, all or none.
func (s *Server) tagSets(ids []string) ([]map[string]string, *apiError) {
	var out []map[string]string
	for _, id := range ids {
		set, err := s.taggable(id)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, nil
}
