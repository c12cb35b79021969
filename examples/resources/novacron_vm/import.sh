# A VM no one owns is imported by BACKEND/NAME. A VM whose ownership marker
# names an owner (a nova-plan workspace, a resource of another
# configuration) is refused unless the ID names that owner:
# BACKEND/NAME@LINEAGE. Remove it from its owner's state first.
terraform import novacron_vm.db lab/db-01
terraform import novacron_vm.db 'lab/db-01@6d1f3c2a-9b7e-4a58-8c0d-2e4f6a8b1c3d'
