package io.proxplane.core.engine;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.Upid;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a container image into the template volume {@code POST /lxc} needs: a template volume is
 * used as it is; an OCI reference is pulled once per node and storage (storage content is checked
 * first, so an image pulled by an earlier process is reused) and remembered.
 */
final class Images {
    private final EngineContext ctx;
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Images(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** A deterministic archive name: readable, and unique per full reference. */
    static String archiveName(String reference) {
        String last = reference.substring(reference.lastIndexOf('/') + 1).replaceAll("[^a-zA-Z0-9_.-]", "_");
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(reference.getBytes(StandardCharsets.UTF_8));
            return "pp-" + last + "-" + HexFormat.of().formatHex(h, 0, 4) + ".tar";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String templateVolume(String url, ProxmoxClient client, String node, String storage, String image, Actions actions) {
        if (io.proxplane.core.engine.spec.ContainerSpec.isTemplate(image)) {
            return image;
        }
        String file = archiveName(image);
        String volid = storage + ":vztmpl/" + file;
        String key = url + "|" + node + "|" + volid;
        if (present.contains(key)) {
            return volid;
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            if (present.contains(key)) {
                return volid;
            }
            boolean there = ctx.errors.retrying("list templates on " + node + "/" + storage,
                    () -> client.nodes().storageContent(node, storage, "vztmpl")).stream()
                    .anyMatch(c -> volid.equals(c.volid()));
            if (!there) {
                try {
                    Upid upid = ctx.errors.retrying("pull " + image + " on " + node,
                            () -> client.nodes().pullOciImage(node, storage, image, file.substring(0, file.length() - 4)));
                    await(client, upid, "pull " + image + " on " + node);
                    actions.add("pull-image", node + "/" + storage, image);
                } catch (EngineException e) {
                    // Another engine pulled the same archive meanwhile: Proxmox refuses to overwrite it,
                    // synchronously or in the task. Either way the archive is there.
                    if (!String.valueOf(e.getMessage()).contains("refusing to override existing file")) {
                        throw e;
                    }
                }
            }
            present.add(key);
            return volid;
        }
    }

    void await(ProxmoxClient client, Upid upid, String what) {
        try {
            client.tasks().await(upid, ctx.settings.taskTimeout());
        } catch (RuntimeException e) {
            throw ProxmoxErrors.map(what, e);
        }
    }
}
