package io.proxplane.pvesim.state;

/** One ACL line: path, subject type (user|group|token), subject id, role and propagate flag. */
public record AclEntry(String path, String type, String ugid, String roleid, boolean propagate) {}
