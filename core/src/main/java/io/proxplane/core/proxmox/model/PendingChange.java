package io.proxplane.core.proxmox.model;

/**
 * An entry of {@code GET /nodes/{node}/lxc/{vmid}/pending}: current {@code value}, {@code pending}
 * value (null if none) and whether the key is pending deletion.
 */
public record PendingChange(String key, String value, String pending, boolean delete) {
}
