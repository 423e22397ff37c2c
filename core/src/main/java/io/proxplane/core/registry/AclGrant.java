package io.proxplane.core.registry;

/** A Proxmox role granted on a pool to a group or to a user (exactly one of the two is set). */
public record AclGrant(String group, String user, String role) {}
