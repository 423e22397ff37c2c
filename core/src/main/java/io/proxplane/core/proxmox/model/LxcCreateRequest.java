package io.proxplane.core.proxmox.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Parameters of {@code POST /nodes/{node}/lxc} (proxmox-api.md §3.3). Build with
 * {@link #builder(int, String)}; {@link #toParams()} gives the form parameters exactly as sent
 * (booleans as 0/1, property strings rendered).
 */
public final class LxcCreateRequest {

    private final int vmid;
    private final Map<String, String> params;

    private LxcCreateRequest(int vmid, Map<String, String> params) {
        this.vmid = vmid;
        this.params = Collections.unmodifiableMap(params);
    }

    /** @param ostemplate a volume id such as {@code local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst} */
    public static Builder builder(int vmid, String ostemplate) {
        return new Builder(vmid, ostemplate);
    }

    public int vmid() {
        return vmid;
    }

    public Map<String, String> toParams() {
        return params;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(params);
        shown.computeIfPresent("password", (k, v) -> "***");
        return "LxcCreateRequest" + shown;
    }

    public static final class Builder {
        private final int vmid;
        private final String ostemplate;
        private String hostname, description, nameserver, searchdomain, pool, password, entrypoint, ostype,
                storage, arch, timezone;
        private Integer cores, memory, swap;
        private Double cpulimit;
        private RootFs rootfs;
        private Features features;
        private final SortedMap<Integer, NetworkInterface> nets = new TreeMap<>();
        private List<String> tags = List.of();
        private List<String> sshPublicKeys = List.of();
        private Map<String, String> env = Map.of();
        private Boolean unprivileged, onboot, start, protection;

        private Builder(int vmid, String ostemplate) {
            this.vmid = FormValues.vmid(vmid);
            if (ostemplate == null || ostemplate.isBlank() || !ostemplate.contains(":")) {
                throw new IllegalArgumentException("ostemplate: required, a volume id such as local:vztmpl/<file>, got '"
                        + ostemplate + "'");
            }
            this.ostemplate = ostemplate;
        }

        public Builder hostname(String v) { hostname = FormValues.hostname(v); return this; }
        public Builder cores(int v) { FormValues.range("cores", v, 1, 8192); cores = v; return this; }
        public Builder cpulimit(double v) {
            if (v < 0 || v > 8192) throw new IllegalArgumentException("cpulimit: must be between 0 and 8192, got " + v);
            cpulimit = v; return this;
        }
        /** Memory in MiB (at least 16). */
        public Builder memory(int mib) { FormValues.range("memory", mib, 16, Integer.MAX_VALUE); memory = mib; return this; }
        /** Swap in MiB. */
        public Builder swap(int mib) { FormValues.range("swap", mib, 0, Integer.MAX_VALUE); swap = mib; return this; }
        public Builder rootfs(RootFs v) { rootfs = v; return this; }
        /** Sets {@code net<index>}. */
        public Builder net(int index, NetworkInterface nic) {
            FormValues.range("net index", index, 0, 31);
            nets.put(index, nic);
            return this;
        }
        /** Space-separated DNS server addresses. */
        public Builder nameserver(String v) { nameserver = v; return this; }
        public Builder searchdomain(String v) { searchdomain = v; return this; }
        public Builder features(Features v) { features = v; return this; }
        public Builder tags(List<String> v) { tags = List.copyOf(v); return this; }
        public Builder pool(String v) { pool = v; return this; }
        /** Defaults to 1 on the server; privileged containers need Sys.Modify on '/'. */
        public Builder unprivileged(boolean v) { unprivileged = v; return this; }
        public Builder onboot(boolean v) { onboot = v; return this; }
        /** Start the container at the end of the create task. */
        public Builder start(boolean v) { start = v; return this; }
        public Builder protection(boolean v) { protection = v; return this; }
        public Builder sshPublicKeys(List<String> keys) {
            for (String k : keys) {
                if (k.isBlank() || k.contains("\n")) {
                    throw new IllegalArgumentException("ssh-public-keys: each key must be one non-empty line");
                }
            }
            sshPublicKeys = List.copyOf(keys);
            return this;
        }
        /** Root password inside the container (at least 5 characters); create-only. */
        public Builder password(String v) {
            if (v != null && v.length() < 5) throw new IllegalArgumentException("password: must have at least 5 characters");
            password = v; return this;
        }
        public Builder description(String v) {
            if (v != null && v.length() > 8192) throw new IllegalArgumentException("description: at most 8192 characters");
            description = v; return this;
        }
        /** Command to run as init (OCI application containers). */
        public Builder entrypoint(String v) { entrypoint = v; return this; }
        /** Runtime environment; sent NUL-separated. */
        public Builder env(Map<String, String> v) { env = new LinkedHashMap<>(v); return this; }
        public Builder ostype(String v) { ostype = v; return this; }
        /** Default storage for a bare-number rootfs. */
        public Builder storage(String v) { storage = v; return this; }
        public Builder arch(String v) { arch = v; return this; }
        public Builder timezone(String v) { timezone = v; return this; }

        public LxcCreateRequest build() {
            Map<String, String> p = new LinkedHashMap<>();
            FormValues.put(p, "vmid", vmid);
            FormValues.put(p, "ostemplate", ostemplate);
            FormValues.put(p, "hostname", hostname);
            FormValues.put(p, "cores", cores);
            FormValues.put(p, "cpulimit", cpulimit);
            FormValues.put(p, "memory", memory);
            FormValues.put(p, "swap", swap);
            FormValues.put(p, "rootfs", rootfs == null ? null : rootfs.toPropertyString());
            nets.forEach((i, nic) -> p.put("net" + i, nic.toPropertyString()));
            FormValues.put(p, "nameserver", nameserver);
            FormValues.put(p, "searchdomain", searchdomain);
            FormValues.put(p, "features", features == null || features.isEmpty() ? null : features.toPropertyString());
            FormValues.put(p, "tags", tags.isEmpty() ? null : FormValues.tags(tags));
            FormValues.put(p, "pool", pool);
            FormValues.put(p, "unprivileged", unprivileged);
            FormValues.put(p, "onboot", onboot);
            FormValues.put(p, "start", start);
            FormValues.put(p, "protection", protection);
            FormValues.put(p, "ssh-public-keys", sshPublicKeys.isEmpty() ? null : String.join("\n", sshPublicKeys));
            FormValues.put(p, "password", password);
            FormValues.put(p, "description", description);
            FormValues.put(p, "entrypoint", entrypoint);
            FormValues.put(p, "env", env.isEmpty() ? null : FormValues.env(env));
            FormValues.put(p, "ostype", ostype);
            FormValues.put(p, "storage", storage);
            FormValues.put(p, "arch", arch);
            FormValues.put(p, "timezone", timezone);
            return new LxcCreateRequest(vmid, p);
        }
    }
}
