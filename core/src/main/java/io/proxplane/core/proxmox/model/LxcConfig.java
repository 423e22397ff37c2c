package io.proxplane.core.proxmox.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code GET /nodes/{node}/lxc/{vmid}/config}: every option as text in {@link #raw()} (numbers and
 * 0/1 booleans as Proxmox wrote them), the {@link #digest()} to send back with a write, and typed
 * accessors for the options proxplane uses.
 */
public record LxcConfig(Map<String, String> raw, String digest) {

    public LxcConfig {
        raw = Map.copyOf(raw);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(raw.get(key));
    }

    public Optional<String> hostname() { return get("hostname"); }
    public Optional<String> description() { return get("description"); }
    public Optional<String> ostype() { return get("ostype"); }
    public Optional<String> nameserver() { return get("nameserver"); }
    public Optional<String> searchdomain() { return get("searchdomain"); }
    public Optional<String> entrypoint() { return get("entrypoint"); }
    /** The persisted config lock ({@code create}, {@code backup}, ...), if any. */
    public Optional<String> lock() { return get("lock"); }
    public OptionalInt cores() { return intValue("cores"); }
    public OptionalInt memory() { return intValue("memory"); }
    public OptionalInt swap() { return intValue("swap"); }
    public boolean onboot() { return flag("onboot"); }
    public boolean unprivileged() { return flag("unprivileged"); }
    public boolean protection() { return flag("protection"); }
    public boolean template() { return flag("template"); }

    public Optional<RootFs> rootfs() {
        return get("rootfs").map(RootFs::parse);
    }

    public Features features() {
        return get("features").map(Features::parse).orElse(Features.NONE);
    }

    public Optional<NetworkInterface> net(int index) {
        return get("net" + index).map(NetworkInterface::parse);
    }

    /** All {@code net<n>} interfaces by index. */
    public SortedMap<Integer, NetworkInterface> networks() {
        SortedMap<Integer, NetworkInterface> result = new TreeMap<>();
        raw.forEach((k, v) -> {
            if (k.matches("net\\d+")) {
                result.put(Integer.parseInt(k.substring(3)), NetworkInterface.parse(v));
            }
        });
        return result;
    }

    /** Tags as stored ({@code ;}-joined, normalised by Proxmox). */
    public List<String> tags() {
        return get("tags").map(t -> Arrays.stream(t.split("[;, ]+")).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    /** The NUL-separated {@code env} option as an ordered map. */
    public Map<String, String> env() {
        Map<String, String> result = new LinkedHashMap<>();
        get("env").ifPresent(e -> {
            for (String entry : e.split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    result.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        });
        return result;
    }

    private OptionalInt intValue(String key) {
        String v = raw.get(key);
        if (v == null || v.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of((int) Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("config option " + key + " is not a number: '" + v + "'");
        }
    }

    private boolean flag(String key) {
        String v = raw.get(key);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }
}
