package io.proxplane.core.proxmox.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parameters of {@code PUT /nodes/{node}/lxc/{vmid}/config}: options to set, options to delete
 * and the optional {@code digest} of the config read before (optimistic concurrency, §4.4).
 */
public final class LxcConfigUpdate {

    private static final Pattern CONFIG_KEY = Pattern.compile("[a-z][a-z0-9_-]+", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> params;

    private LxcConfigUpdate(Map<String, String> params) {
        this.params = Collections.unmodifiableMap(params);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, String> toParams() {
        return params;
    }

    @Override
    public String toString() {
        return "LxcConfigUpdate" + params;
    }

    public static final class Builder {
        private final Map<String, String> set = new LinkedHashMap<>();
        private final List<String> delete = new ArrayList<>();
        private String digest;

        private Builder() {
        }

        private Builder put(String key, Object value) {
            if (value == null) {
                throw new IllegalArgumentException(key + ": value must not be null (use delete(\"" + key + "\") to remove it)");
            }
            set.put(key, PropertyStrings.render(value));
            return this;
        }

        public Builder hostname(String v) { return put("hostname", FormValues.hostname(v)); }
        public Builder cores(int v) { FormValues.range("cores", v, 1, 8192); return put("cores", v); }
        public Builder cpulimit(double v) { return put("cpulimit", v); }
        public Builder memory(int mib) { FormValues.range("memory", mib, 16, Integer.MAX_VALUE); return put("memory", mib); }
        public Builder swap(int mib) { FormValues.range("swap", mib, 0, Integer.MAX_VALUE); return put("swap", mib); }
        public Builder net(int index, NetworkInterface nic) {
            FormValues.range("net index", index, 0, 31);
            return put("net" + index, nic.toPropertyString());
        }
        public Builder nameserver(String v) { return put("nameserver", v); }
        public Builder searchdomain(String v) { return put("searchdomain", v); }
        public Builder features(Features v) { return put("features", v.toPropertyString()); }
        public Builder tags(List<String> v) { return put("tags", FormValues.tags(v)); }
        public Builder onboot(boolean v) { return put("onboot", v); }
        public Builder protection(boolean v) { return put("protection", v); }
        public Builder description(String v) { return put("description", v); }
        public Builder entrypoint(String v) { return put("entrypoint", v); }
        public Builder env(Map<String, String> v) { return put("env", FormValues.env(v)); }
        public Builder startup(String v) { return put("startup", v); }

        /** Removes options (e.g. {@code "mp0"}, {@code "description"}). */
        public Builder delete(String... keys) {
            for (String k : keys) {
                if (!CONFIG_KEY.matcher(k).matches()) {
                    throw new IllegalArgumentException("delete: '" + k + "' is not a config key");
                }
                delete.add(k);
            }
            return this;
        }

        /** Fail with ConfigurationChangedException if the config changed since it was read with this digest. */
        public Builder digest(String v) {
            if (v != null && v.length() > 40) {
                throw new IllegalArgumentException("digest: at most 40 characters");
            }
            digest = v;
            return this;
        }

        public LxcConfigUpdate build() {
            for (String k : delete) {
                if (set.containsKey(k)) {
                    throw new IllegalArgumentException(k + ": cannot be set and deleted in the same update");
                }
            }
            if (set.isEmpty() && delete.isEmpty()) {
                throw new IllegalArgumentException("config update: nothing to set or delete");
            }
            Map<String, String> p = new LinkedHashMap<>(set);
            if (!delete.isEmpty()) {
                p.put("delete", String.join(",", delete));
            }
            if (digest != null) {
                p.put("digest", digest);
            }
            return new LxcConfigUpdate(p);
        }
    }
}
