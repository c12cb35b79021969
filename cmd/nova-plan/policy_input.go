package main

import "github.com/novacron/novacron/engine/jsonformat"

// policyDocument encodes the input of a policy check of a plan
// (jsonformat.PolicyInput, shared with the server).
var policyDocument = jsonformat.PolicyDocument
