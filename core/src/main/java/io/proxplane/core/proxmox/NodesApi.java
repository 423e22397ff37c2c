package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.model.NodeInfo;
import io.proxplane.core.proxmox.model.NodeStatus;
import io.proxplane.core.proxmox.model.StorageContent;
import io.proxplane.core.proxmox.model.StorageInfo;
import io.proxplane.core.proxmox.model.Upid;
import java.util.List;
import java.util.regex.Pattern;

/** Nodes, their storages and storage content, OCI image pulls (PVE 9.1). */
public final class NodesApi {

    // The schema's pattern for an OCI reference: [registry[:port]/]repo[/repo...]; tags are separate.
    private static final Pattern OCI_REPOSITORY = Pattern.compile(
            "^(?:(?:[a-zA-Z\\d]|[a-zA-Z\\d][a-zA-Z\\d-]*[a-zA-Z\\d])(?:\\.(?:[a-zA-Z\\d]|[a-zA-Z\\d][a-zA-Z\\d-]*[a-zA-Z\\d]))*(?::\\d+)?/)?"
                    + "[a-z\\d]+(?:(?:[._]|__|[-]*)[a-z\\d]+)*(?:/[a-z\\d]+(?:(?:[._]|__|[-]*)[a-z\\d]+)*)*");
    private static final Pattern OCI_TAG = Pattern.compile(":\\w[\\w.-]{0,127}$");

    private final Transport transport;

    NodesApi(Transport transport) {
        this.transport = transport;
    }

    public List<NodeInfo> list() {
        return Json.elements(transport.call("GET", "/nodes").data()).stream()
                .map(n -> new NodeInfo(Json.text(n, "node"), Json.text(n, "status"), Json.dbl(n, "cpu"),
                        Json.integer(n, "maxcpu"), Json.lng(n, "mem"), Json.lng(n, "maxmem"), Json.lng(n, "disk"),
                        Json.lng(n, "maxdisk"), Json.lng(n, "uptime"), Json.text(n, "ssl_fingerprint")))
                .toList();
    }

    public NodeStatus status(String node) {
        JsonNode n = transport.call("GET", "/nodes/{node}/status", node).data();
        JsonNode memory = n.path("memory");
        JsonNode rootfs = n.path("rootfs");
        return new NodeStatus(Json.text(n, "pveversion"),
                n.has("current-kernel") ? Json.text(n.get("current-kernel"), "release") : Json.text(n, "kversion"),
                Json.lng(n, "uptime"), Json.dbl(n, "cpu"), Json.integer(n.path("cpuinfo"), "cpus"),
                Json.lng(memory, "total"), Json.lng(memory, "used"), Json.lng(memory, "free"),
                Json.lng(rootfs, "total"), Json.lng(rootfs, "used"), Json.list(n, "loadavg", "[, ]+"));
    }

    /** Storages of a node; {@code contentFilter} (e.g. {@code vztmpl}, {@code rootdir}) may be null. */
    public List<StorageInfo> storages(String node, String contentFilter) {
        JsonNode data = transport.call("GET", "/nodes/{node}/storage", node).param("content", contentFilter).data();
        return Json.elements(data).stream()
                .map(n -> new StorageInfo(Json.text(n, "storage"), Json.text(n, "type"), Json.list(n, "content", ","),
                        Json.bool(n, "active", false), Json.bool(n, "enabled", false), Json.bool(n, "shared", false),
                        Json.lng(n, "total"), Json.lng(n, "used"), Json.lng(n, "avail")))
                .toList();
    }

    /** Volumes on a storage; {@code contentFilter} (e.g. {@code vztmpl}) may be null. */
    public List<StorageContent> storageContent(String node, String storage, String contentFilter) {
        JsonNode data = transport.call("GET", "/nodes/{node}/storage/{storage}/content", node, storage)
                .param("content", contentFilter).data();
        return Json.elements(data).stream()
                .map(n -> new StorageContent(Json.text(n, "volid"), Json.text(n, "content"), Json.text(n, "format"),
                        Json.lng(n, "size"), Json.lng(n, "ctime"), Json.integer(n, "vmid")))
                .toList();
    }

    /**
     * Starts pulling an OCI image ({@code docker.io/library/nginx:latest}) into {@code storage}
     * (which must allow vztmpl). The result is the volume {@code <storage>:vztmpl/<name>.tar}
     * (proxmox-api.md §5.3). {@code filename} may be null.
     */
    public Upid pullOciImage(String node, String storage, String reference, String filename) {
        if (reference == null || !OCI_TAG.matcher(reference).find()
                || !OCI_REPOSITORY.matcher(reference.substring(0, reference.lastIndexOf(':'))).matches()) {
            throw new IllegalArgumentException("reference: expected an OCI reference with tag like "
                    + "docker.io/library/nginx:latest, got '" + reference + "'");
        }
        if (filename != null && (filename.isEmpty() || filename.length() > 255)) {
            throw new IllegalArgumentException("filename: 1 to 255 characters");
        }
        JsonNode data = transport.call("POST", "/nodes/{node}/storage/{storage}/oci-registry-pull", node, storage)
                .param("reference", reference).param("filename", filename).nonIdempotent().data();
        return Upid.parse(data.asText());
    }

    /** Tags of an OCI repository reference without tag, e.g. {@code docker.io/library/nginx}. */
    public List<String> ociRepoTags(String node, String repository) {
        if (repository == null || !OCI_REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("reference: expected an OCI repository without tag like "
                    + "docker.io/library/nginx, got '" + repository + "'");
        }
        JsonNode data = transport.call("GET", "/nodes/{node}/query-oci-repo-tags", node).param("reference", repository).data();
        return Json.elements(data).stream().map(JsonNode::asText).toList();
    }
}
