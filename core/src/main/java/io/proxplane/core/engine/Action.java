package io.proxplane.core.engine;

/** One step the engine took, e.g. {@code create-lxc lxc/105 on pve2}. */
public record Action(String verb, String target, String detail) {
    @Override
    public String toString() {
        return verb + " " + target + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
