package io.proxplane.core.proxmox.model;

import java.util.List;

/** An entry of {@code GET /nodes/{node}/storage}; {@code content} e.g. {@code [vztmpl, iso, backup]}. */
public record StorageInfo(String storage, String type, List<String> content, boolean active, boolean enabled,
                          boolean shared, Long total, Long used, Long avail) {

    public StorageInfo {
        content = List.copyOf(content);
    }
}
