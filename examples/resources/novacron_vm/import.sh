# A VM is imported by BACKEND/NAME.
terraform import novacron_vm.db lab/db-01
