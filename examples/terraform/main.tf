# A small platform on a Proxmox VE cluster with the proxplane provider: a site, a public domain,
# a group with a pool, two users, and a container with an HTTPS host name, a TCP port and a DNS
# SRV record. Plus the look-ups of nodes and templates.
#
# Connection settings come from the environment (see docs/terraform/index.md):
#   PROXMOX_VE_ENDPOINT          https://pve.example:8006
#   PROXMOX_VE_API_TOKEN         terraform@pve!ci=<secret>
#   PROXMOX_VE_TLS_FINGERPRINT   AB:CD:...   (or PROXMOX_VE_CA_FILE, or PROXMOX_VE_INSECURE=true)
#   PROXPLANE_REGISTRY_URL       jdbc:postgresql://127.0.0.1:5432/proxplane
#   TF_VAR_proxmox_endpoint      the same URL as PROXMOX_VE_ENDPOINT (the site's endpoint)
#   TF_VAR_edge_address          where clients reach the site's edge (its DNS name or address)
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

variable "proxmox_endpoint" {
  description = "Proxmox VE API URL the site's containers live on."
  type        = string
}

variable "edge_address" {
  description = "Where clients reach the site's edge (nginx and the TCP/UDP ports): a DNS name or IPv4 address."
  type        = string
}

variable "site_network" {
  description = "The site's container network (CIDR); containers get static addresses from it."
  type        = string
  default     = "10.20.0.0/24"
}

variable "site_gateway" {
  description = "Default gateway of the site network."
  type        = string
  default     = "10.20.0.1"
}

variable "site_dhcp_range" {
  description = "First and last address dnsmasq hands out by DHCP (kept apart from the static ones)."
  type        = list(string)
  default     = ["10.20.0.200", "10.20.0.250"]
}

variable "dns_forwarders" {
  description = "Upstream DNS servers of the site's dnsmasq."
  type        = list(string)
  default     = ["1.1.1.1", "9.9.9.9"]
}

variable "tls_dir" {
  description = "Directory on the edge hosts holding <domain>.crt and <domain>.key."
  type        = string
  default     = "/etc/proxplane/tls"
}

variable "alice_password" {
  description = "Initial password of alice."
  type        = string
  sensitive   = true
  default     = "change me at first login"
}

data "proxplane_nodes" "online" {
  online_only = true
}

data "proxplane_templates" "first_node" {
  node = data.proxplane_nodes.online.names[0]
}

resource "proxplane_site" "lab" {
  name           = "lab"
  dns_domain     = "lab.internal"
  network_cidr   = var.site_network
  gateway        = var.site_gateway
  dhcp_start     = var.site_dhcp_range[0]
  dhcp_end       = var.site_dhcp_range[1]
  dns_forwarders = var.dns_forwarders
  edge_address   = var.edge_address

  proxmox_endpoint {
    url = var.proxmox_endpoint # credentials: the provider's api_token ("default")
  }
}

resource "proxplane_external_domain" "apps" {
  name = "apps.example.com"
  site = proxplane_site.lab.name
  tls_source = {
    certificateFile = "${var.tls_dir}/apps.example.com.crt"
    keyFile         = "${var.tls_dir}/apps.example.com.key"
  }
}

resource "proxplane_group" "developers" {
  name = "developers"
}

resource "proxplane_user" "alice" {
  username     = "alice"
  given_name   = "Alice"
  surname      = "Liddell"
  mail         = "alice@example.com"
  password     = var.alice_password
  extra_groups = [proxplane_group.developers.name]
}

resource "proxplane_user" "bob" {
  username     = "bob"
  given_name   = "Bob"
  mail         = "bob@example.com"
  extra_groups = [proxplane_group.developers.name]
}

resource "proxplane_pool" "web" {
  name = "web"
  quotas {
    max_containers = 10
    max_cores      = 16
    max_memory_mb  = 16384
  }
  acl_grant {
    group = proxplane_group.developers.name
    role  = "PVEVMUser"
  }
}

resource "proxplane_container" "web" {
  site      = proxplane_site.lab.name
  name      = "web1"
  image     = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  cores     = 2
  memory_mb = 1024
  disk_gb   = 8
  pool      = proxplane_pool.web.name
  owner     = proxplane_user.alice.username
  features {
    nesting = true
  }
}

resource "proxplane_container_service" "https" {
  site      = proxplane_site.lab.name
  container = proxplane_container.web.name
  name      = "https"
  lifecycle {
    replace_triggered_by = [proxplane_container.web.vmid] # services go with a replaced container
  }
  http {
    hostname      = "web"
    domain        = proxplane_external_domain.apps.name
    internal_port = 8080
  }
}

resource "proxplane_container_service" "ssh" {
  site      = proxplane_site.lab.name
  container = proxplane_container.web.name
  name      = "ssh"
  lifecycle {
    replace_triggered_by = [proxplane_container.web.vmid] # services go with a replaced container
  }
  tcp {
    internal_port = 22
  }
}

resource "proxplane_container_service" "minecraft" {
  site      = proxplane_site.lab.name
  container = proxplane_container.web.name
  name      = "minecraft"
  lifecycle {
    replace_triggered_by = [proxplane_container.web.vmid] # services go with a replaced container
  }
  dns_srv {
    name = "minecraft"
    port = 25565
  }
}

data "proxplane_user" "alice" {
  username = proxplane_user.alice.username
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

output "web1" {
  description = "Where web1 runs and how to reach it."
  value = {
    vmid  = proxplane_container.web.vmid
    node  = proxplane_container.web.node
    ipv4  = proxplane_container.web.ipv4
    fqdn  = proxplane_container.web.fqdn
    https = proxplane_container_service.https.url
    # the TCP port listens on the edge, which forwards it to the container's port 22
    ssh     = "ssh -p ${proxplane_container_service.ssh.external_port} root@${var.edge_address}"
    ssh_url = proxplane_container_service.ssh.url
    srv     = proxplane_container_service.minecraft.fqdn
  }
}

output "alice_groups" {
  value = data.proxplane_user.alice.groups
}
