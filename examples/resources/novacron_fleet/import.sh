# A fleet is imported by BACKEND/NAME@LINEAGE: the VMs whose ownership
# markers carry fleet NAME's addresses and lineage LINEAGE (naming the owner
# is the consent to take its VMs over). `terraform import novacron_fleet.web
# lab/web` imports nothing and lists the lineages to choose from.
terraform import novacron_fleet.web 'lab/web@terraform:novacron_fleet:web:3f9c0a51d2e84b7c9e1f6a2b5d7c8e90'
