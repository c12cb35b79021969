package main

import "testing"

func TestQuietFramework(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string // TF_LOG_SDK_FRAMEWORK after
	}{
		{map[string]string{}, "OFF"},
		{map[string]string{"TF_LOG": "debug"}, "debug"},
		{map[string]string{"TF_LOG": "TRACE"}, ""},
		{map[string]string{"TF_LOG": "json"}, ""},
		{map[string]string{"TF_LOG": "trace", "TF_LOG_SDK": "warn"}, "warn"},
		{map[string]string{"TF_LOG_SDK_FRAMEWORK": "trace"}, "trace"},
	}
	for _, tc := range cases {
		env := map[string]string{}
		for k, v := range tc.env {
			env[k] = v
		}
		quietFramework(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
		if got := env["TF_LOG_SDK_FRAMEWORK"]; got != tc.want {
			t.Errorf("with %v: TF_LOG_SDK_FRAMEWORK = %q, want %q", tc.env, got, tc.want)
		}
	}
}
