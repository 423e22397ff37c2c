package io.proxplane.core.proxmox.model;

/**
 * An ACL entry of {@code GET /access/acl}: {@code type} is {@code user}, {@code group} or
 * {@code token}; {@code ugid} the user, group or token id. Identified by path + ugid + role.
 */
public record AclEntry(String path, String type, String ugid, String roleid, boolean propagate) {
}
