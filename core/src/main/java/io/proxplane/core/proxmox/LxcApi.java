package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.model.ContainerInterface;
import io.proxplane.core.proxmox.model.DestroyOptions;
import io.proxplane.core.proxmox.model.LxcConfig;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.LxcCreateRequest;
import io.proxplane.core.proxmox.model.LxcStatus;
import io.proxplane.core.proxmox.model.PendingChange;
import io.proxplane.core.proxmox.model.Upid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * LXC containers on a node. Operations returning {@link Upid} only start a task: wait for it
 * with {@link TasksApi#await}. Config writes are synchronous.
 */
public final class LxcApi {

    private static final Pattern DISK = Pattern.compile("rootfs|mp(\\d|[1-9]\\d|1\\d\\d|2[0-4]\\d|25[0-5])");
    private static final Pattern SIZE = Pattern.compile("\\+?\\d+(\\.\\d+)?[KMGT]?");

    private final Transport transport;

    LxcApi(Transport transport) {
        this.transport = transport;
    }

    public List<LxcStatus> list(String node) {
        return Json.elements(transport.call("GET", "/nodes/{node}/lxc", node).data()).stream().map(LxcApi::status).toList();
    }

    /** Starts {@code vzcreate}. A duplicate VMID fails synchronously with AlreadyExistsException. */
    public Upid create(String node, LxcCreateRequest request) {
        JsonNode data = transport.call("POST", "/nodes/{node}/lxc", node).params(request.toParams()).nonIdempotent().data();
        return Upid.parse(data.asText());
    }

    /** The config including pending values, with its digest. */
    public LxcConfig config(String node, int vmid) {
        JsonNode data = transport.call("GET", "/nodes/{node}/lxc/{vmid}/config", node, vmid).data();
        Map<String, String> raw = new LinkedHashMap<>();
        String digest = null;
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (e.getKey().equals("digest")) {
                digest = v.asText();
            } else {
                raw.put(e.getKey(), v.isValueNode() ? (v.isBoolean() ? (v.booleanValue() ? "1" : "0") : v.asText()) : v.toString());
            }
        }
        return new LxcConfig(raw, digest);
    }

    /**
     * Applies a config change synchronously. With a digest in the update, a concurrent change fails
     * with ConfigurationChangedException instead of being overwritten.
     */
    public void updateConfig(String node, int vmid, LxcConfigUpdate update) {
        transport.call("PUT", "/nodes/{node}/lxc/{vmid}/config", node, vmid).params(update.toParams()).data();
    }

    public List<PendingChange> pending(String node, int vmid) {
        return Json.elements(transport.call("GET", "/nodes/{node}/lxc/{vmid}/pending", node, vmid).data()).stream()
                .map(n -> new PendingChange(Json.text(n, "key"), Json.text(n, "value"), Json.text(n, "pending"),
                        Json.bool(n, "delete", false)))
                .toList();
    }

    /** Starts {@code vzdestroy}; the VMID is free again only when that task has finished. */
    public Upid destroy(String node, int vmid, DestroyOptions options) {
        JsonNode data = transport.call("DELETE", "/nodes/{node}/lxc/{vmid}", node, vmid)
                .param("purge", options.purge() ? Boolean.TRUE : null)
                .param("force", options.force() ? Boolean.TRUE : null)
                .param("destroy-unreferenced-disks", options.destroyUnreferencedDisks() ? Boolean.TRUE : null)
                .nonIdempotent()
                .data();
        return Upid.parse(data.asText());
    }

    /** Live status (not the lagging cluster view). */
    public LxcStatus status(String node, int vmid) {
        return status(transport.call("GET", "/nodes/{node}/lxc/{vmid}/status/current", node, vmid).data());
    }

    public Upid start(String node, int vmid) {
        return task("POST", "/nodes/{node}/lxc/{vmid}/status/start", node, vmid, Map.of());
    }

    public Upid stop(String node, int vmid) {
        return task("POST", "/nodes/{node}/lxc/{vmid}/status/stop", node, vmid, Map.of());
    }

    /**
     * Clean shutdown. {@code timeoutSeconds} null = server default (60 s); with {@code forceStop}
     * the container is killed after the timeout, otherwise the task fails.
     */
    public Upid shutdown(String node, int vmid, Integer timeoutSeconds, boolean forceStop) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (timeoutSeconds != null) {
            if (timeoutSeconds < 0) {
                throw new IllegalArgumentException("timeout: must not be negative");
            }
            p.put("timeout", timeoutSeconds);
        }
        if (forceStop) {
            p.put("forceStop", Boolean.TRUE);
        }
        return task("POST", "/nodes/{node}/lxc/{vmid}/status/shutdown", node, vmid, p);
    }

    /** Reboot (applies pending changes); {@code timeoutSeconds} for the shutdown part, null = default. */
    public Upid reboot(String node, int vmid, Integer timeoutSeconds) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (timeoutSeconds != null) {
            p.put("timeout", timeoutSeconds);
        }
        return task("POST", "/nodes/{node}/lxc/{vmid}/status/reboot", node, vmid, p);
    }

    /** Interfaces with their addresses; empty for a stopped container (Proxmox answers null). */
    public List<ContainerInterface> interfaces(String node, int vmid) {
        JsonNode data = transport.call("GET", "/nodes/{node}/lxc/{vmid}/interfaces", node, vmid).data();
        List<ContainerInterface> result = new ArrayList<>();
        for (JsonNode n : Json.elements(data)) {
            List<ContainerInterface.IpAddress> addresses = new ArrayList<>();
            for (JsonNode a : Json.elements(n.get("ip-addresses"))) {
                Integer prefix = Json.integer(a, "prefix");
                addresses.add(new ContainerInterface.IpAddress(Json.text(a, "ip-address"), Json.text(a, "ip-address-type"),
                        prefix == null ? 0 : prefix));
            }
            String hw = Json.text(n, "hardware-address");
            result.add(new ContainerInterface(Json.text(n, "name"), hw != null ? hw : Json.text(n, "hwaddr"), addresses));
        }
        return result;
    }

    /**
     * Grows a volume: {@code disk} is {@code rootfs} or {@code mp<n>}, {@code size} absolute
     * ({@code 8G}) or relative ({@code +2G}). Starts a {@code resize} task. {@code digest} may be null.
     */
    public Upid resize(String node, int vmid, String disk, String size, String digest) {
        if (disk == null || !DISK.matcher(disk).matches()) {
            throw new IllegalArgumentException("disk: rootfs or mp0..mp255, got '" + disk + "'");
        }
        if (size == null || !SIZE.matcher(size).matches()) {
            throw new IllegalArgumentException("size: like 8G or +2G, got '" + size + "'");
        }
        Transport.Call call = transport.call("PUT", "/nodes/{node}/lxc/{vmid}/resize", node, vmid)
                .param("disk", disk).param("size", size).param("digest", digest);
        if (size.startsWith("+")) {
            call.nonIdempotent(); // growing by a relative amount twice would grow twice
        }
        return Upid.parse(call.data().asText());
    }

    private Upid task(String method, String template, String node, int vmid, Map<String, Object> params) {
        Transport.Call call = transport.call(method, template, node, vmid).nonIdempotent();
        params.forEach(call::param);
        return Upid.parse(call.data().asText());
    }

    static LxcStatus status(JsonNode n) {
        Integer vmid = Json.integer(n, "vmid");
        return new LxcStatus(vmid == null ? 0 : vmid, Json.text(n, "status"), Json.text(n, "name"), Json.text(n, "lock"),
                Json.list(n, "tags", "[;, ]+"), Json.bool(n, "template", false), Json.lng(n, "uptime"), Json.dbl(n, "cpus"),
                Json.dbl(n, "cpu"), Json.lng(n, "mem"), Json.lng(n, "maxmem"), Json.lng(n, "disk"), Json.lng(n, "maxdisk"));
    }
}
