package io.proxplane.terraform.provider;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.StorageContent;
import io.proxplane.core.proxmox.model.StorageInfo;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.DataSource;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code data "proxplane_templates"}: the container templates (vztmpl volumes) of a node, from
 * its vztmpl-capable storages or one named storage.
 */
public final class TemplatesDataSource implements DataSource {

    // PVE's node and storage id formats (pve-node, pve-storage-id).
    private static final Pattern NODE = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?");
    private static final Pattern STORAGE = Pattern.compile("[a-zA-Z][a-zA-Z0-9\\-_.]*[a-zA-Z0-9]");

    static final TfType.ObjectOf TEMPLATE = TfType.objectOf(
            "volid", TfType.STRING,
            "storage", TfType.STRING,
            "name", TfType.STRING,
            "format", TfType.STRING,
            "size", TfType.NUMBER);

    private final Supplier<ProxmoxClient> pve;

    public TemplatesDataSource(Supplier<ProxmoxClient> pve) {
        this.pve = pve;
    }

    @Override
    public String typeName() {
        return "proxplane_templates";
    }

    @Override
    public Schema schema() {
        return Schema.of(new Block(List.of(
                Attribute.required("node", TfType.STRING, "Node whose storages are listed."),
                Attribute.optional("storage", TfType.STRING, "Only this storage (default: every storage of the node that holds vztmpl)."),
                Attribute.computed("volids", TfType.listOf(TfType.STRING), "Volume ids, e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst, sorted."),
                Attribute.computed("templates", TfType.listOf(TEMPLATE), "Templates sorted by volid: volid, storage, name (file name), format, size (bytes).")),
                List.of(), "Container templates (vztmpl volumes) on a node."));
    }

    @Override
    public void validate(TfValue.Obj config, Diagnostics d) {
        if (config.get("node") instanceof TfValue.Str s && !NODE.matcher(s.value()).matches()) {
            d.error(AttributePath.of("node"), "Invalid node name", "'" + s.value() + "' is not a Proxmox node name (letters, digits, '-').");
        }
        if (config.get("storage") instanceof TfValue.Str s && !STORAGE.matcher(s.value()).matches()) {
            d.error(AttributePath.of("storage"), "Invalid storage id", "'" + s.value() + "' is not a Proxmox storage id.");
        }
    }

    @Override
    public TfValue.Obj read(TfValue.Obj config, Diagnostics d) {
        String node = ((TfValue.Str) config.get("node")).value();
        String only = config.get("storage") instanceof TfValue.Str s ? s.value() : null;
        ProxmoxClient client = pve.get();
        List<StorageInfo> storages = client.nodes().storages(node, "vztmpl");
        List<String> names = storages.stream().map(StorageInfo::storage).filter(n -> only == null || n.equals(only)).toList();
        if (only != null && names.isEmpty()) {
            d.error(AttributePath.of("storage"), "Storage not found",
                    "Node " + node + " has no storage '" + only + "' for container templates; it has " + storages.stream().map(StorageInfo::storage).toList() + ".");
            return config;
        }
        List<StorageContent> volumes = new ArrayList<>();
        for (String storage : names) {
            volumes.addAll(client.nodes().storageContent(node, storage, "vztmpl"));
        }
        volumes.sort(Comparator.comparing(StorageContent::volid));
        Map<String, TfValue> out = new LinkedHashMap<>();
        out.put("node", config.get("node"));
        out.put("storage", config.get("storage"));
        out.put("volids", TfValue.seq(volumes.stream().map(v -> TfValue.of(v.volid())).toList()));
        out.put("templates", TfValue.seq(volumes.stream().map(TemplatesDataSource::template).toList()));
        return TfValue.obj(out);
    }

    private static TfValue template(StorageContent v) {
        String volid = v.volid();
        int colon = volid.indexOf(':');
        String storage = colon > 0 ? volid.substring(0, colon) : "";
        String name = volid.substring(volid.lastIndexOf('/') + 1);
        Map<String, TfValue> m = new LinkedHashMap<>();
        m.put("volid", TfValue.of(volid));
        m.put("storage", TfValue.of(storage));
        m.put("name", TfValue.of(name));
        m.put("format", TfValue.of(v.format()));
        m.put("size", TfValue.of(v.size()));
        return TfValue.obj(m);
    }
}
