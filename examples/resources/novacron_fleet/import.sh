# A fleet made by novacron_fleet is imported by BACKEND/NAME: its VMs are
# found by the ownership marker every VM of the fleet carries.
terraform import novacron_fleet.web lab/web
