package io.proxplane.core.engine;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Proxmox tag that names who made a guest: {@code pp-<registry id>-<site id>-<container id>},
 * e.g. {@code pp-3fa9c1e07b2d-1-42}. Always next to the plain tag {@code proxplane}.
 *
 * <p>It is the engine's only proof of ownership on a shared cluster: a guest is this engine's to
 * adopt, update, stop or destroy only when the registry id AND the site id are its own. It fits
 * Proxmox's {@code pve-tag} format ({@code [a-z0-9_][a-z0-9_\-+.]*}), in lower case so that a
 * cluster with case-insensitive tags shows it unchanged.
 */
record OwnerTag(String registryId, long siteId, long containerId) {
    private static final Pattern FORMAT = Pattern.compile("pp-([0-9a-f]{12})-([1-9][0-9]{0,17})-([1-9][0-9]{0,17})");
    private static final Pattern LEGACY = Pattern.compile("pp-([1-9][0-9]{0,17})");
    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9a-f]{12}");

    OwnerTag {
        if (registryId == null || !REGISTRY_ID.matcher(registryId).matches()) {
            throw new IllegalArgumentException("registry id must be 12 lowercase hex characters: " + registryId);
        }
        if (siteId <= 0 || containerId <= 0) {
            throw new IllegalArgumentException("site and container ids must be positive");
        }
    }

    String render() {
        return "pp-" + registryId + "-" + siteId + "-" + containerId;
    }

    /** The owner named by a tag in the current format; empty for any other tag. */
    static Optional<OwnerTag> parse(String tag) {
        Matcher m = FORMAT.matcher(tag);
        if (!m.matches()) return Optional.empty();
        return Optional.of(new OwnerTag(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
    }

    /**
     * The container id of a tag written before registries had an identity ({@code pp-<id>}), or -1.
     * Such a tag does not say which registry or site made the guest, so it proves nothing alone.
     */
    static long parseLegacy(String tag) {
        Matcher m = LEGACY.matcher(tag);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Any tag proxplane writes to name an owner, in either format (replaced, never kept twice). */
    static boolean isOwnerTag(String tag) {
        return FORMAT.matcher(tag).matches() || LEGACY.matcher(tag).matches();
    }
}
