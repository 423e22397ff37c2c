package io.proxplane.core.model;

import java.util.Locale;

/** Layer-4 protocol of a stream service or SRV record. */
public enum TransportProtocol {
    TCP, UDP;

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TransportProtocol of(String field, String raw) {
        ValidationException.require(field, raw);
        return switch (raw) {
            case "tcp", "TCP" -> TCP;
            case "udp", "UDP" -> UDP;
            default -> throw ValidationException.got(field, "must be 'tcp' or 'udp'", raw);
        };
    }
}
