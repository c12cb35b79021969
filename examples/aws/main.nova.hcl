# A fleet on Amazon EC2. Credentials and, unless region is set here, the
# region come from the AWS SDK's default chain (environment, ~/.aws files,
# SSO, an instance role). See README.md for a real account and for the
# EC2 test server (go run ./examples/aws/ec2sim).

variable "subnet_id" {
  type        = string
  default     = "subnet-0a1b2c3d4e5f60001" # the test server's; set yours
  description = "Subnet the instances are launched in."
}

variable "ami" {
  type        = string
  default     = "ami-0abcdef1234567890" # the test server's x86_64 AMI; set a real one
  description = "AMI the instances boot from (AMIs are per region)."
}

provider "ec2" "aws" {
  # region  = "eu-west-1"      # default: AWS_REGION or the profile's
  # profile = "novacron"       # default: the SDK's default chain
  subnet_id = var.subnet_id
}

template "ubuntu-22.04" {
  ec2 { ami = var.ami }
}

fleet "web" {
  provider  = provider.ec2.aws
  count     = 3
  template  = template.ubuntu-22.04
  cpu       = 2
  memory_gb = 4 # with cpu: the cheapest fitting type, t3a.medium
  disk_gb   = 20
  tags      = { tier = "web" }
  rollout {
    batch_size = 1
  }
}

vm "db-01" {
  provider  = provider.ec2.aws
  template  = template.ubuntu-22.04
  cpu       = 4
  memory_gb = 32 # the cheapest type with 4 vCPUs and 32 GiB: r6a.xlarge
  disk_gb   = 100
}

output "web_ids" { value = fleet.web[*].id }
