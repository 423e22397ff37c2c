package io.proxplane.core.proxmox.model;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code rootfs} property string. On create, {@code volume} is {@code <storage>:<GiB>} to
 * allocate ({@link #allocate}); GET config returns the real volume plus {@code size}, e.g.
 * {@code local-lvm:vm-100-disk-0,size=8G}. Rendered with the volume first (without {@code volume=}),
 * then the other keys alphabetically, like Proxmox.
 */
public record RootFs(String volume, Boolean acl, List<String> mountOptions, Boolean quota, Boolean replicate,
                     Boolean ro, Boolean shared, String size) {

    private static final Pattern MOUNT_OPTION = Pattern.compile("discard|lazytime|noatime|nodev|noexec|nosuid");
    private static final Pattern SIZE = Pattern.compile("\\d+(\\.\\d+)?[KMGT]?");

    public RootFs {
        PropertyStrings.requireSafe(volume, "rootfs.volume");
        if (volume == null) {
            throw new IllegalArgumentException("rootfs.volume: required");
        }
        mountOptions = mountOptions == null ? List.of() : List.copyOf(mountOptions);
        for (String o : mountOptions) {
            if (!MOUNT_OPTION.matcher(o).matches()) {
                throw new IllegalArgumentException("rootfs.mountoptions: unknown option '" + o
                        + "' (allowed: discard, lazytime, noatime, nodev, noexec, nosuid)");
            }
        }
        if (size != null && !SIZE.matcher(size).matches()) {
            throw new IllegalArgumentException("rootfs.size: expected a number with optional K/M/G/T suffix, got '" + size + "'");
        }
    }

    /** A new volume of {@code sizeGiB} GiB on {@code storage}: renders as {@code storage:sizeGiB}. */
    public static RootFs allocate(String storage, int sizeGiB) {
        if (storage == null || storage.isBlank()) {
            throw new IllegalArgumentException("rootfs.storage: required");
        }
        if (sizeGiB < 1) {
            throw new IllegalArgumentException("rootfs size: must be at least 1 GiB, got " + sizeGiB);
        }
        return new RootFs(storage + ":" + sizeGiB, null, List.of(), null, null, null, null, null);
    }

    public RootFs withMountOptions(List<String> options) {
        return new RootFs(volume, acl, options, quota, replicate, ro, shared, size);
    }

    public static RootFs parse(String text) {
        Map<String, String> m = PropertyStrings.parse(text, "volume", "rootfs");
        String w = "rootfs";
        String opts = m.get("mountoptions");
        return new RootFs(m.get("volume"), PropertyStrings.bool(m, "acl", w),
                opts == null || opts.isEmpty() ? List.of() : List.of(opts.split(";")),
                PropertyStrings.bool(m, "quota", w), PropertyStrings.bool(m, "replicate", w),
                PropertyStrings.bool(m, "ro", w), PropertyStrings.bool(m, "shared", w), m.get("size"));
    }

    /** The storage part of the volume id ({@code local-lvm} of {@code local-lvm:vm-100-disk-0}), or null. */
    public String storage() {
        int colon = volume.indexOf(':');
        return colon < 0 ? null : volume.substring(0, colon);
    }

    public String toPropertyString() {
        StringBuilder sb = new StringBuilder(volume);
        PropertyStrings.put(sb, "acl", acl);
        PropertyStrings.put(sb, "mountoptions", mountOptions.isEmpty() ? null : String.join(";", mountOptions));
        PropertyStrings.put(sb, "quota", quota);
        PropertyStrings.put(sb, "replicate", replicate);
        PropertyStrings.put(sb, "ro", ro);
        PropertyStrings.put(sb, "shared", shared);
        PropertyStrings.put(sb, "size", size);
        return sb.toString();
    }

    @Override
    public String toString() {
        return toPropertyString();
    }
}
