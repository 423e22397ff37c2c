package io.proxplane.terraform.plugin;

import java.util.Map;

/**
 * The ports the plugin may listen on, from go-plugin's {@code PLUGIN_MIN_PORT} and
 * {@code PLUGIN_MAX_PORT} (set by the CLI's environment, e.g. behind a firewall that allows only a
 * range on loopback). Neither set: an ephemeral port (0). As go-plugin's TCP listener: both bounds
 * are whole numbers, the minimum not above the maximum, and the first free port counting up wins.
 */
public record PortRange(int min, int max) {

    public static final String MIN_ENV = "PLUGIN_MIN_PORT";
    public static final String MAX_ENV = "PLUGIN_MAX_PORT";
    public static final PortRange EPHEMERAL = new PortRange(0, 0);

    public PortRange {
        if (min < 0 || max > 65535 || min > max) {
            throw new IllegalArgumentException(MIN_ENV + " " + min + " and " + MAX_ENV + " " + max
                    + " must be ports with the minimum not above the maximum");
        }
    }

    /** @throws IllegalArgumentException naming the variable when a value is not a port number */
    public static PortRange from(Map<String, String> env) {
        int min = port(env, MIN_ENV);
        int max = port(env, MAX_ENV);
        return new PortRange(min, max);
    }

    private static int port(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return 0; // as go-plugin: an unset bound is 0
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + v + "'");
        }
    }
}
