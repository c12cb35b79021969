# A team's spec: state in PostgreSQL, shared by everyone and every CI runner,
# one workspace per environment, encrypted at rest. See README.md and
# docs/state.md.
#
#   export NOVA_PG_CONN_STR='postgres://nova@db.example.com:5432/novacron'   # password from ~/.pgpass or PGPASSWORD
#   export NOVA_STATE_KEY="$(cat /run/secrets/nova-state-key)"              # 32 bytes, base64 or hex
#   nova-plan workspace new staging
#   NOVA_WORKSPACE=staging nova-plan plan

novacron {
  backend "pg" {
    # The schema holds this spec's workspaces; give each spec its own.
    # conn_str comes from NOVA_PG_CONN_STR or -backend-config=conn_str=…,
    # never from this file: a spec file is committed.
    schema = "team_web"
  }
  encryption {
    # A run without NOVA_STATE_KEY (or NOVA_STATE_PASSPHRASE) fails instead
    # of writing the state in plaintext.
    required = true
  }
}

variable "env" {
  type        = string
  default     = "staging"
  description = "The environment, used in VM names: each workspace names its VMs apart."
}

variable "web_count" {
  type    = number
  default = 3
}

provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 32
  host_memory_gb = 128
  latency        = "10ms"
}

template "ubuntu-22.04" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  provider  = provider.sim.lab
  count     = var.web_count
  name      = "${var.env}-web-${count.index}"
  template  = template.ubuntu-22.04
  cpu       = 2
  memory_gb = 4
  tags      = { env = var.env, team = "web" }

  placement {
    spread_by = "host"
  }
  rollout {
    batch_size = 1
  }
}
