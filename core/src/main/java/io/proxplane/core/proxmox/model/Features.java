package io.proxplane.core.proxmox.model;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code features} property string, e.g. {@code keyctl=1,mount=nfs;cifs,nesting=1} (keys
 * alphabetical, like Proxmox renders them). Null flags are omitted. Note: non-root users may only
 * set {@code nesting}.
 */
public record Features(Boolean nesting, Boolean keyctl, Boolean fuse, Boolean mknod, Boolean forceRwSys,
                       List<String> mount) {

    private static final Pattern FS_TYPE = Pattern.compile("[a-zA-Z0-9_]+");

    public Features {
        mount = mount == null ? List.of() : List.copyOf(mount);
        for (String fs : mount) {
            if (!FS_TYPE.matcher(fs).matches()) {
                throw new IllegalArgumentException("features.mount: file system types are letters, digits or '_', got '" + fs + "'");
            }
        }
    }

    public static final Features NONE = new Features(null, null, null, null, null, List.of());

    public static Features nestingOnly() {
        return new Features(true, null, null, null, null, List.of());
    }

    public Features withNesting(boolean v) { return new Features(v, keyctl, fuse, mknod, forceRwSys, mount); }
    public Features withKeyctl(boolean v) { return new Features(nesting, v, fuse, mknod, forceRwSys, mount); }
    public Features withFuse(boolean v) { return new Features(nesting, keyctl, v, mknod, forceRwSys, mount); }
    public Features withMknod(boolean v) { return new Features(nesting, keyctl, fuse, v, forceRwSys, mount); }
    public Features withForceRwSys(boolean v) { return new Features(nesting, keyctl, fuse, mknod, v, mount); }
    public Features withMount(List<String> fsTypes) { return new Features(nesting, keyctl, fuse, mknod, forceRwSys, fsTypes); }

    public boolean isEmpty() {
        return toPropertyString().isEmpty();
    }

    public static Features parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, String> m = PropertyStrings.parse(text, null, "features");
        String w = "features";
        String mount = m.get("mount");
        return new Features(PropertyStrings.bool(m, "nesting", w), PropertyStrings.bool(m, "keyctl", w),
                PropertyStrings.bool(m, "fuse", w), PropertyStrings.bool(m, "mknod", w),
                PropertyStrings.bool(m, "force_rw_sys", w),
                mount == null || mount.isBlank() ? List.of() : List.of(mount.split("[; ]+")));
    }

    public String toPropertyString() {
        StringBuilder sb = new StringBuilder();
        PropertyStrings.put(sb, "force_rw_sys", forceRwSys);
        PropertyStrings.put(sb, "fuse", fuse);
        PropertyStrings.put(sb, "keyctl", keyctl);
        PropertyStrings.put(sb, "mknod", mknod);
        PropertyStrings.put(sb, "mount", mount.isEmpty() ? null : String.join(";", mount));
        PropertyStrings.put(sb, "nesting", nesting);
        return sb.toString();
    }

    @Override
    public String toString() {
        return toPropertyString();
    }
}
