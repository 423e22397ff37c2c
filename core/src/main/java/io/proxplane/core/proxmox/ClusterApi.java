package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.error.InvalidParametersException;
import io.proxplane.core.proxmox.model.ClusterResource;
import java.util.List;

/** {@code /cluster/resources} and {@code /cluster/nextid}. */
public final class ClusterApi {

    private final Transport transport;

    ClusterApi(Transport transport) {
        this.transport = transport;
    }

    /** All resources (guests, nodes, storages, pools, sdn) visible to the caller. */
    public List<ClusterResource> resources() {
        return resources(null);
    }

    /** Resources of one type; null = all. Pools appear only in the unfiltered list. */
    public List<ClusterResource> resources(ClusterResource.Type type) {
        JsonNode data = transport.call("GET", "/cluster/resources")
                .param("type", type == null ? null : type.value())
                .data();
        return Json.elements(data).stream().map(ClusterApi::resource).toList();
    }

    /** A cluster member from {@code /cluster/status}: its name and the address corosync knows it by. */
    public record NodeAddress(String name, String ip) {}

    /** Nodes of {@code /cluster/status} with their {@code ip} (entries without one are left out). */
    public List<NodeAddress> nodeAddresses() {
        JsonNode data = transport.call("GET", "/cluster/status").data();
        return Json.elements(data).stream()
                .filter(n -> "node".equals(Json.text(n, "type")) && Json.text(n, "name") != null && Json.text(n, "ip") != null)
                .map(n -> new NodeAddress(Json.text(n, "name"), Json.text(n, "ip"))).toList();
    }

    /**
     * The lowest free VMID. Not a reservation: a concurrent create can take it first (the loser
     * gets {@link io.proxplane.core.proxmox.error.AlreadyExistsException}).
     */
    public int nextId() {
        JsonNode data = transport.call("GET", "/cluster/nextid").data();
        // Declared integer, returned as a JSON string (proxmox-api.md §1.4).
        try {
            return Integer.parseInt(data.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("GET /cluster/nextid returned '" + data + "', not a VMID");
        }
    }

    /** Whether {@code vmid} is unused cluster-wide ({@code nextid?vmid=} answers 400 if taken). */
    public boolean isVmidFree(int vmid) {
        try {
            transport.call("GET", "/cluster/nextid").param("vmid", vmid).data();
            return true;
        } catch (InvalidParametersException e) {
            String reason = e.errors().getOrDefault("vmid", "");
            if (reason.contains("already exists")) {
                return false;
            }
            throw e;
        }
    }

    static ClusterResource resource(JsonNode n) {
        return new ClusterResource(Json.text(n, "id"), Json.text(n, "type"), Json.text(n, "node"), Json.text(n, "status"),
                Json.text(n, "name"), Json.integer(n, "vmid"), Json.text(n, "pool"), Json.text(n, "storage"),
                Json.list(n, "tags", "[;, ]+"), Json.text(n, "lock"), Json.bool(n, "template", false), Json.text(n, "hastate"),
                Json.lng(n, "uptime"), Json.dbl(n, "maxcpu"), Json.dbl(n, "cpu"), Json.lng(n, "maxmem"), Json.lng(n, "mem"),
                Json.lng(n, "maxdisk"), Json.lng(n, "disk"), Json.text(n, "plugintype"), Json.text(n, "content"),
                Json.bool(n, "shared"));
    }
}
