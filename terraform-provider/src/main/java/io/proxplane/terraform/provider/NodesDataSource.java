package io.proxplane.terraform.provider;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.NodeInfo;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.DataSource;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code data "proxplane_nodes"}: the cluster's nodes from one {@code GET /nodes}. */
public final class NodesDataSource implements DataSource {

    static final TfType.ObjectOf NODE = TfType.objectOf(
            "name", TfType.STRING,
            "status", TfType.STRING,
            "online", TfType.BOOL,
            "cpu", TfType.NUMBER,
            "max_cpu", TfType.NUMBER,
            "memory_used", TfType.NUMBER,
            "memory_total", TfType.NUMBER,
            "uptime", TfType.NUMBER);

    private final Supplier<ProxmoxClient> pve;

    public NodesDataSource(Supplier<ProxmoxClient> pve) {
        this.pve = pve;
    }

    @Override
    public String typeName() {
        return "proxplane_nodes";
    }

    @Override
    public Schema schema() {
        return Schema.of(new Block(List.of(
                Attribute.optional("online_only", TfType.BOOL, "Only nodes whose status is online (default false)."),
                Attribute.computed("names", TfType.listOf(TfType.STRING), "Node names, sorted."),
                Attribute.computed("nodes", TfType.listOf(NODE),
                        "Nodes sorted by name: name, status (online/offline/unknown), online, cpu (load 0..1), max_cpu, "
                                + "memory_used and memory_total (bytes), uptime (seconds).")),
                List.of(), "The Proxmox VE nodes, from one GET /nodes."));
    }

    @Override
    public TfValue.Obj read(TfValue.Obj config, Diagnostics diagnostics) {
        boolean onlineOnly = config.get("online_only") instanceof TfValue.Bool b && b.value();
        List<NodeInfo> nodes = pve.get().nodes().list().stream()
                .filter(n -> !onlineOnly || n.isOnline())
                .sorted(Comparator.comparing(NodeInfo::node))
                .toList();
        List<TfValue> objects = nodes.stream().map(NodesDataSource::node).toList();
        Map<String, TfValue> out = new LinkedHashMap<>();
        out.put("online_only", config.get("online_only"));
        out.put("names", TfValue.seq(nodes.stream().map(n -> TfValue.of(n.node())).toList()));
        out.put("nodes", TfValue.seq(objects));
        return TfValue.obj(out);
    }

    private static TfValue node(NodeInfo n) {
        Map<String, TfValue> m = new LinkedHashMap<>();
        m.put("name", TfValue.of(n.node()));
        m.put("status", TfValue.of(n.status()));
        m.put("online", TfValue.of(n.isOnline()));
        m.put("cpu", TfValue.of(n.cpu()));
        m.put("max_cpu", TfValue.of(n.maxcpu()));
        m.put("memory_used", TfValue.of(n.mem()));
        m.put("memory_total", TfValue.of(n.maxmem()));
        m.put("uptime", TfValue.of(n.uptime()));
        return TfValue.obj(m);
    }
}
