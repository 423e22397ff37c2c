package io.proxplane.pvesim.routes;

import static io.proxplane.pvesim.api.Param.bool;
import static io.proxplane.pvesim.api.Param.str;
import static io.proxplane.pvesim.routes.PermCheck.and;
import static io.proxplane.pvesim.routes.PermCheck.any;
import static io.proxplane.pvesim.routes.PermCheck.perm;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.Formats;
import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.state.Node;
import io.proxplane.pvesim.state.Storage;
import io.proxplane.pvesim.state.Volume;
import io.proxplane.pvesim.tasks.TaskFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Storage listing, content and OCI image pulls (pve-storage). */
final class StorageRoutes {
    private StorageRoutes() {}

    private static final String REF_BASE = "^(?:(?:[a-zA-Z\\d]|[a-zA-Z\\d][a-zA-Z\\d-]*[a-zA-Z\\d])(?:\\.(?:[a-zA-Z\\d]|[a-zA-Z\\d][a-zA-Z\\d-]*[a-zA-Z\\d]))*(?::\\d+)?/)?[a-z\\d]+(?:(?:[._]|__|[-]*)[a-z\\d]+)*(?:/[a-z\\d]+(?:(?:[._]|__|[-]*)[a-z\\d]+)*)*";

    static List<Route> routes() {
        String ns = "/nodes/{node}/storage/{storage}";
        return List.of(
                Route.of("GET", "/storage")
                        .params(str("type").enums("btrfs", "cephfs", "cifs", "dir", "esxi", "iscsi", "iscsidirect", "lvm",
                                "lvmthin", "nfs", "pbs", "rbd", "zfs", "zfspool"))
                        .handle(StorageRoutes::storageIndex),
                Route.of("GET", "/nodes/{node}/storage").prot()
                        .params(str("content").format("pve-storage-content-list"), bool("enabled"), bool("format"), Param.node(),
                                str("storage").format("pve-storage-id"), str("target").format("pve-node"))
                        .handle(StorageRoutes::nodeStorages),
                Route.of("GET", ns + "/status").prot().params(Param.node(), str("storage").req().format("pve-storage-id"))
                        .perm(any("/storage/{storage}", "Datastore.Audit", "Datastore.AllocateSpace"))
                        .handle(StorageRoutes::status),
                Route.of("GET", ns + "/content").prot()
                        .params(str("content").format("pve-storage-content"), Param.node(),
                                str("storage").req().format("pve-storage-id"), Param.vmid())
                        .perm(any("/storage/{storage}", "Datastore.Audit", "Datastore.AllocateSpace"))
                        .handle(StorageRoutes::content),
                Route.of("GET", ns + "/content/{volume}").prot()
                        .params(Param.node(), str("storage").format("pve-storage-id"), str("volume").req())
                        .handle(StorageRoutes::volumeInfo),
                Route.of("POST", ns + "/oci-registry-pull").prot()
                        .params(str("filename").minLen(1).maxLen(255), Param.node(),
                                str("reference").req().pattern(REF_BASE + ":\\w[\\w.-]{0,127}$"),
                                str("storage").req().format("pve-storage-id"))
                        .perm(and(perm("/storage/{storage}", "Datastore.AllocateTemplate"), perm("/nodes/{node}", "Sys.AccessNetwork")))
                        .handle(StorageRoutes::ociPull),
                Route.of("GET", "/nodes/{node}/query-oci-repo-tags")
                        .params(Param.node(), str("reference").req().pattern(REF_BASE + "$"))
                        .perm(perm("/nodes/{node}", "Sys.AccessNetwork"))
                        .handle(StorageRoutes::ociTags));
    }

    private static boolean canSee(Call c, String storage) {
        return c.engine().perms().hasAny(c.subject(), "/storage/" + storage, "Datastore.Audit", "Datastore.AllocateSpace");
    }

    private static Object storageIndex(Call c) {
        Engine e = c.engine();
        Map<String, Storage> seen = new LinkedHashMap<>();
        synchronized (e.state()) {
            for (Node n : e.state().nodes.values()) n.storages.values().forEach(s -> seen.putIfAbsent(s.id, s));
            List<Object> out = new ArrayList<>();
            for (Storage s : seen.values()) {
                if (c.has("type") && !s.type.equals(c.str("type"))) continue;
                if (!canSee(c, s.id)) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("storage", s.id);
                m.put("type", s.type);
                m.put("content", s.contentString());
                if (s.path != null) m.put("path", s.path);
                if (s.type.equals("lvmthin")) {
                    m.put("thinpool", "data");
                    m.put("vgname", "pve");
                }
                m.put("digest", "6d1c4b8e2f0a9d7c5b3a1e0f8d6c4b2a09876543");
                out.add(m);
            }
            return out;
        }
    }

    static Map<String, Object> storageStatus(Storage s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storage", s.id);
        m.put("type", s.type);
        m.put("content", s.contentString());
        m.put("active", 1);
        m.put("enabled", 1);
        m.put("shared", 0);
        long used = s.used();
        m.put("total", s.total);
        m.put("used", used);
        m.put("avail", s.total - used);
        m.put("used_fraction", (double) used / s.total);
        return m;
    }

    private static Object nodeStorages(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Node n = e.node(c.node());
            List<String> wanted = c.has("content") ? Formats.splitList(c.str("content")) : List.of();
            List<Object> out = new ArrayList<>();
            for (Storage s : n.storages.values()) {
                if (c.has("storage") && !s.id.equals(c.str("storage"))) continue;
                if (!wanted.isEmpty() && wanted.stream().noneMatch(s.content::contains)) continue;
                if (!canSee(c, s.id)) continue;
                Map<String, Object> m = storageStatus(s);
                m.remove("type");
                m.put("type", s.type);
                if (c.bool("format")) {
                    m.put("formats", s.type.equals("dir")
                            ? Map.of("default", "raw", "supported", List.of("raw", "qcow2", "vmdk", "subvol"))
                            : Map.of("default", "raw", "supported", List.of("raw")));
                    m.put("select_existing", 1);
                }
                out.add(m);
            }
            return out;
        }
    }

    private static Object status(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Storage s = e.storage(c.node(), c.str("storage"));
            Map<String, Object> m = storageStatus(s);
            m.remove("storage");
            m.remove("used_fraction");
            return m;
        }
    }

    static Map<String, Object> volumeEntry(Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("volid", v.volid);
        m.put("content", v.content);
        m.put("format", v.format);
        m.put("size", v.size);
        m.put("ctime", v.ctime);
        if (v.vmid != null) {
            m.put("vmid", v.vmid);
            m.put("used", v.size / 10);
        }
        return m;
    }

    private static Object content(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Storage s = e.storage(c.node(), c.str("storage"));
            List<Object> out = new ArrayList<>();
            for (Volume v : s.volumes.values()) {
                if (c.has("content") && !v.content.equals(c.str("content"))) continue;
                if (c.has("vmid") && (v.vmid == null || !v.vmid.toString().equals(c.str("vmid")))) continue;
                out.add(volumeEntry(v));
            }
            return out;
        }
    }

    private static Object volumeInfo(Call c) {
        Engine e = c.engine();
        String volume = c.str("volume");
        String storage = c.str("storage");
        // The volume may be given as a full volid or relative to the storage in the path.
        String volid = volume.contains(":") ? volume : storage + ":" + volume;
        String sid = volid.substring(0, volid.indexOf(':'));
        synchronized (e.state()) {
            Storage s = e.storage(c.node(), sid);
            if (!e.perms().hasAny(c.subject(), "/storage/" + sid, "Datastore.Audit", "Datastore.AllocateSpace")) {
                throw ApiException.forbidden("/storage/" + sid + ", Datastore.Audit|Datastore.AllocateSpace");
            }
            Volume v = s.volumes.get(volid);
            if (v == null) throw ApiException.fail("volume '" + volid + "' does not exist");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", v.format);
            String rel = volid.substring(volid.indexOf(':') + 1);
            m.put("path", s.path != null
                    ? s.path + (v.content.equals("vztmpl") ? "/template/cache/" + rel.replaceFirst("^vztmpl/", "") : "/images/" + rel)
                    : "/dev/pve/" + rel);
            m.put("size", v.size);
            m.put("used", v.vmid == null ? v.size : v.size / 10);
            return m;
        }
    }

    /** skopeo's archive name: the reference's last path element with ':' etc. replaced by '_'. */
    static String ociFileName(String reference) {
        String last = reference.substring(reference.lastIndexOf('/') + 1);
        return last.replaceAll("[^a-zA-Z0-9_.-]", "_") + ".tar";
    }

    private static Object ociPull(Call c) {
        Engine e = c.engine();
        String node = c.node();
        String storage = c.str("storage");
        String reference = c.str("reference");
        String file;
        String volid;
        synchronized (e.state()) {
            Storage s = e.storage(node, storage);
            if (!s.content.contains("vztmpl")) {
                throw ApiException.fail("storage '" + storage + "' is not configured for content-type 'vztmpl'");
            }
            file = c.has("filename") ? c.str("filename") : ociFileName(reference);
            if (!file.endsWith(".tar")) file = file + ".tar";
            volid = storage + ":vztmpl/" + file;
            if (s.volumes.containsKey(volid)) throw ApiException.fail("refusing to override existing file '" + file + "'");
        }
        String taskId = reference.replaceAll("[:/\\s]", "_");
        String finalFile = file;
        return e.startTask(c, node, "ociregistrypull", taskId, ctx -> {
            ctx.log("Getting image source signatures");
            ctx.work();
            synchronized (e.state()) {
                Storage s = e.storage(node, storage);
                if (s.volumes.containsKey(volid)) throw new TaskFailure("refusing to override existing file '" + finalFile + "'");
                s.volumes.put(volid, new Volume(volid, "vztmpl", "tar", 48_123_456L + reference.length() * 4096L, e.now(), null));
            }
            ctx.log("Writing manifest to image destination");
        });
    }

    private static Object ociTags(Call c) {
        String ref = c.str("reference");
        if (ref.endsWith("/alpine") || ref.equals("alpine")) return List.of("3.19", "3.20", "3.21", "3.22", "latest");
        return List.of("1.27", "1.28", "1.29", "stable", "latest");
    }
}
