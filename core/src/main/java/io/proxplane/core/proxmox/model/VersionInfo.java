package io.proxplane.core.proxmox.model;

/** {@code GET /version}, e.g. version {@code 9.1.5}, release {@code 9.1}. */
public record VersionInfo(String version, String release, String repoid) {
}
