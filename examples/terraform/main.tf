# Lookups against a Proxmox VE cluster with the proxplane provider.
#
# Connection settings come from the environment (see docs/terraform/index.md):
#   PROXMOX_VE_ENDPOINT          https://pve.example:8006
#   PROXMOX_VE_API_TOKEN         terraform@pve!ci=<secret>
#   PROXMOX_VE_TLS_FINGERPRINT   AB:CD:...   (or PROXMOX_VE_CA_FILE, or PROXMOX_VE_INSECURE=true)
# README.md beside this file runs it against the PVE simulator.

terraform {
  required_providers {
    proxplane = {
      source  = "proxplane/proxplane"
      version = "0.1.0"
    }
  }
}

provider "proxplane" {}

data "proxplane_nodes" "online" {
  online_only = true
}

data "proxplane_templates" "first_node" {
  node = data.proxplane_nodes.online.names[0]
}

output "nodes" {
  description = "Online nodes with their memory use."
  value = {
    for n in data.proxplane_nodes.online.nodes :
    n.name => format("%d of %d MiB used", n.memory_used / 1048576, n.memory_total / 1048576)
  }
}

output "templates" {
  description = "Container templates on the first online node."
  value       = data.proxplane_templates.first_node.volids
}
