# One block per backend, named after its driver type. Every setting can
# also come from NOVACRON_<TYPE>_<SETTING>, e.g. NOVACRON_SIM_HOSTS.
provider "novacron" {
  # Where backends that keep files (the simulator) keep them.
  # Default: NOVACRON_DATA_DIR, else .novacron in the working directory.
  data_dir = ".novacron"

  sim {
    name           = "lab"
    hosts          = 4
    host_cpu       = 32
    host_memory_gb = 128
    parallelism    = 20 # at most 20 actions at once against this backend
  }

  sim {
    name       = "edge"
    host_names = ["edge-a", "edge-b"]
    latency    = "20ms"
    rate_limit = 50 # calls per second
  }
}
