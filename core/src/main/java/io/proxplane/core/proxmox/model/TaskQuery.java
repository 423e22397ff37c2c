package io.proxplane.core.proxmox.model;

/**
 * Filters for {@code GET /nodes/{node}/tasks}; null fields are not sent.
 *
 * @param source {@code archive} (default), {@code active} or {@code all}
 */
public record TaskQuery(Integer vmid, String typeFilter, String source, Boolean errorsOnly, Integer start, Integer limit) {

    public static TaskQuery all() {
        return new TaskQuery(null, null, "all", null, null, null);
    }

    public TaskQuery withVmid(int v) {
        return new TaskQuery(v, typeFilter, source, errorsOnly, start, limit);
    }

    public TaskQuery withTypeFilter(String t) {
        return new TaskQuery(vmid, t, source, errorsOnly, start, limit);
    }

    public TaskQuery withLimit(int l) {
        return new TaskQuery(vmid, typeFilter, source, errorsOnly, start, l);
    }
}
