# A fleet on Google Compute Engine. Credentials come from Application
# Default Credentials only (GOOGLE_APPLICATION_CREDENTIALS, or
# `gcloud auth application-default login`, or the metadata server): the
# spec never holds them. See README.md for a real project and for the
# Compute Engine test server (go run ./examples/gce/gcesim).

variable "project" {
  type        = string
  default     = "novacron-test" # the test server's; set yours
  description = "Project ID the instances run in."
}

variable "endpoint" {
  type        = string
  default     = "" # Google's; gcesim prints NOVA_VAR_endpoint for its own
  description = "Compute Engine API base URL, for a test server or a private endpoint."
}

provider "gce" "cloud" {
  project  = var.project
  zones    = ["us-central1-a", "us-central1-b"] # the fleet spreads over both
  endpoint = var.endpoint
  # network    = "default"
  # subnetwork = "my-subnet"                   # of the zones' region
}

template "debian-12" {
  gce {
    image = "projects/debian-cloud/global/images/family/debian-12" # the family's newest
    # machine_type = "n2-standard-2"  # default: the cheapest type that fits
  }
}

fleet "web" {
  provider  = provider.gce.cloud
  count     = 3
  template  = template.debian-12
  cpu       = 2
  memory_gb = 4 # e2-medium, the cheapest fit
  disk_gb   = 20
  tags      = { tier = "web", team = "platform" } # labels: lowercase, digits, _ and -
  rollout {
    batch_size = 1
  }
}

vm "db" {
  provider  = provider.gce.cloud
  template  = template.debian-12
  host      = "us-central1-a" # a zone of the provider
  cpu       = 4
  memory_gb = 16
  disk_gb   = 50
  tags      = { tier = "db" }
}
