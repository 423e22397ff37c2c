package io.proxplane.core.proxmox.model;

/**
 * An entry of {@code GET /nodes/{node}/storage/{storage}/content}, e.g. volid
 * {@code local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst}, content {@code vztmpl}, format {@code tzst}.
 */
public record StorageContent(String volid, String content, String format, Long size, Long ctime, Integer vmid) {
}
