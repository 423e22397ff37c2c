package io.proxplane.core.engine;

/** A difference between the desired state and what Proxmox reports. */
public record Drift(String object, String field, String desired, String observed) {
    @Override
    public String toString() {
        return object + "." + field + ": desired " + desired + ", observed " + observed;
    }
}
