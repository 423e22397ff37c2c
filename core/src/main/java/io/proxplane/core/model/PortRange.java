package io.proxplane.core.model;

/**
 * An inclusive range of ports, e.g. the external ports a site hands out for TCP/UDP services
 * (the seed's allocator ran to 65565 by a typo; a range can only be built from valid ports).
 */
public record PortRange(Port first, Port last) {

    public static final PortRange DEFAULT_EXTERNAL = new PortRange(new Port(2000), new Port(65535));

    public PortRange {
        if (first == null || last == null) {
            throw new ValidationException("portRange", "first and last port are required");
        }
        if (first.value() > last.value()) {
            throw new ValidationException("portRange",
                    "first port " + first + " is above last port " + last);
        }
    }

    public static PortRange of(String field, int first, int last) {
        Port from = Port.of(field + ".first", first);
        Port to = Port.of(field + ".last", last);
        if (first > last) {
            throw new ValidationException(field, "first port " + first + " is above last port " + last);
        }
        return new PortRange(from, to);
    }

    /** Parses {@code "2000-65535"}. */
    public static PortRange parse(String field, String raw) {
        ValidationException.require(field, raw);
        int dash = raw.indexOf('-');
        if (dash < 0) {
            throw ValidationException.got(field, "must be a port range 'first-last'", raw);
        }
        Port from = Port.parse(field, raw.substring(0, dash));
        Port to = Port.parse(field, raw.substring(dash + 1));
        return of(field, from.value(), to.value());
    }

    public boolean contains(Port port) {
        return port.value() >= first.value() && port.value() <= last.value();
    }

    public int size() {
        return last.value() - first.value() + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
