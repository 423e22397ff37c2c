package io.proxplane.core.engine.spec;

import io.proxplane.core.model.ValidationException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container as a front door declares it. {@code node} null lets the engine place it;
 * {@code image} is an OCI reference ({@code docker.io/library/nginx:1.27}) or a Proxmox template
 * volume ({@code local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst}). Sizes in MiB / GiB.
 */
public record ContainerSpec(String site, String name, String hostname, String node, String image, int cores,
                            long memoryMb, long swapMb, long diskGb, Map<String, String> env, String entrypoint,
                            Features features, List<String> sshKeys, String owner, String pool, boolean gpu,
                            PowerState powerState) {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern OCI = Pattern.compile(
            "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
    private static final Pattern TEMPLATE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*:vztmpl/[A-Za-z0-9_.+-]+");
    private static final Pattern SSH_KEY = Pattern.compile("(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\\p{Cntrl}]*)?");
    /** Bounds that keep the guest config (one line per option in a file pmxcfs caps at 1 MiB) well-formed. */
    static final int MAX_ENV_VARS = 128, MAX_ENV_VALUE = 4096, MAX_ENV_TOTAL = 32_768;
    static final int MAX_IMAGE = 512, MAX_SSH_KEYS = 100, MAX_SSH_KEY = 16_384, MAX_ENTRYPOINT = 1024;

    public enum PowerState { RUNNING, STOPPED }

    /** The LXC features a user may ask for (nesting for systemd/docker, keyctl, fuse). */
    public record Features(boolean nesting, boolean keyctl, boolean fuse) {
        public static final Features NONE = new Features(false, false, false);
    }

    public ContainerSpec {
        site = Check.label("site", site);
        name = Check.label("name", name);
        hostname = hostname == null ? name : Check.label("hostname", hostname);
        if (node != null && !node.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?")) {
            throw new ValidationException("node", "is not a node name");
        }
        Check.required("image", image);
        if (image.length() > MAX_IMAGE) {
            throw new ValidationException("image", "must be at most " + MAX_IMAGE + " characters, got " + image.length());
        }
        if (!isTemplate(image) && !OCI.matcher(image).matches()) {
            throw new ValidationException("image", "must be an OCI reference with tag like docker.io/library/nginx:1.27"
                    + " or a template volume like local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
        }
        Check.range("cores", cores, 1, 1024);
        Check.range("memoryMb", memoryMb, 16, 16_777_216);
        Check.range("swapMb", swapMb, 0, 16_777_216);
        Check.range("diskGb", diskGb, 1, 1_048_576);
        Map<String, String> e = new LinkedHashMap<>();
        if (env != null) {
            Check.atMost("env", env.keySet(), MAX_ENV_VARS, "variables");
            for (String k : env.keySet()) {
                if (k == null) throw new ValidationException("env", "a variable name is missing");
            }
            int total = 0;
            // sorted, so the same map is refused for the same variable every time
            for (var entry : new java.util.TreeMap<>(env).entrySet()) {
                String k = entry.getKey(), v = entry.getValue();
                if (!ENV_NAME.matcher(k).matches()) {
                    throw new ValidationException("env", "variable names are POSIX names [A-Za-z_][A-Za-z0-9_]* of at most 128"
                            + " characters, got " + ValidationException.show(k));
                }
                // Proxmox stores the variables NUL-separated on one config line
                Check.singleLine("env." + k, Check.required("env." + k, v), MAX_ENV_VALUE);
                total += k.length() + v.length() + 2;
                if (total > MAX_ENV_TOTAL) {
                    throw new ValidationException("env", "names and values together must be at most " + MAX_ENV_TOTAL + " characters");
                }
            }
            env.forEach(e::put);
        }
        env = java.util.Collections.unmodifiableMap(e);
        entrypoint = Check.singleLine("entrypoint", entrypoint, MAX_ENTRYPOINT);
        features = features == null ? Features.NONE : features;
        sshKeys = sshKeys == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(sshKeys));
        Check.atMost("sshKeys", sshKeys, MAX_SSH_KEYS, "keys");
        for (int i = 0; i < sshKeys.size(); i++) {
            if (sshKeys.get(i) != null && sshKeys.get(i).length() > MAX_SSH_KEY) {
                throw new ValidationException("sshKeys[" + i + "]", "must be at most " + MAX_SSH_KEY + " characters");
            }
            if (sshKeys.get(i) == null || !SSH_KEY.matcher(sshKeys.get(i)).matches()) {
                throw new ValidationException("sshKeys[" + i + "]", "must be one OpenSSH public key line (type base64 [comment])");
            }
        }
        owner = owner == null ? null : Check.posixName("owner", owner);
        pool = pool == null ? null : Check.label("pool", pool);
        powerState = powerState == null ? PowerState.RUNNING : powerState;
    }

    public static boolean isTemplate(String image) {
        return image != null && TEMPLATE.matcher(image).matches();
    }

    public boolean imageIsTemplate() {
        return isTemplate(image);
    }

    /** A builder for the common case; the record stays the contract. */
    public static Builder builder(String site, String name, String image) {
        return new Builder(site, name, image);
    }

    public Builder toBuilder() {
        Builder b = new Builder(site, name, image);
        b.hostname = hostname; b.node = node; b.cores = cores; b.memoryMb = memoryMb; b.swapMb = swapMb;
        b.diskGb = diskGb; b.env = env; b.entrypoint = entrypoint; b.features = features; b.sshKeys = sshKeys;
        b.owner = owner; b.pool = pool; b.gpu = gpu; b.powerState = powerState;
        return b;
    }

    public static final class Builder {
        private final String site, name;
        private String image, hostname, node, entrypoint, owner, pool;
        private int cores = 1;
        private long memoryMb = 512, swapMb = 512, diskGb = 4;
        private Map<String, String> env = Map.of();
        private Features features = Features.NONE;
        private List<String> sshKeys = List.of();
        private boolean gpu;
        private PowerState powerState = PowerState.RUNNING;

        private Builder(String site, String name, String image) {
            this.site = site; this.name = name; this.image = image;
        }

        public Builder image(String v) { image = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder node(String v) { node = v; return this; }
        public Builder cores(int v) { cores = v; return this; }
        public Builder memoryMb(long v) { memoryMb = v; return this; }
        public Builder swapMb(long v) { swapMb = v; return this; }
        public Builder diskGb(long v) { diskGb = v; return this; }
        public Builder env(Map<String, String> v) { env = v; return this; }
        public Builder entrypoint(String v) { entrypoint = v; return this; }
        public Builder features(Features v) { features = v; return this; }
        public Builder sshKeys(List<String> v) { sshKeys = v; return this; }
        public Builder owner(String v) { owner = v; return this; }
        public Builder pool(String v) { pool = v; return this; }
        public Builder gpu(boolean v) { gpu = v; return this; }
        public Builder powerState(PowerState v) { powerState = v; return this; }

        public ContainerSpec build() {
            return new ContainerSpec(site, name, hostname, node, image, cores, memoryMb, swapMb, diskGb, env, entrypoint,
                    features, sshKeys, owner, pool, gpu, powerState);
        }
    }
}
