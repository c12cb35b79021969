package main

import (
	"os"
	"strings"
)

// quietFramework sets the log level of terraform-plugin-framework's own
// logs (TF_LOG_SDK_FRAMEWORK) to the level the SDK logs are kept at, when
// it is not set and no one asked for trace logs.
//
// Unset, the framework's level means "everything": v1.19 then prepares a
// trace line for every value of a resource each time it walks one (to
// nullify write-only attributes, mark unknowns, apply defaults), and each
// line looks its logger up through a context chain that has grown by one
// link per value walked, so that a walk costs the square of the values:
// 57 s of a 5,000-VM fleet's plan went there. hclog then dropped the lines
// anyway, as Terraform keeps no provider logs below TF_LOG's level.
func quietFramework(getenv func(string) string, setenv func(string, string) error) {
	const framework = "TF_LOG_SDK_FRAMEWORK"
	if getenv(framework) != "" {
		return
	}
	level := getenv("TF_LOG_SDK")
	if level == "" {
		level = getenv("TF_LOG")
	}
	switch strings.ToUpper(level) {
	case "TRACE", "JSON": // JSON is trace, as JSON
		return
	case "":
		level = "OFF"
	}
	setenv(framework, level)
}

func init() { quietFramework(os.Getenv, os.Setenv) }
