package io.proxplane.core.model;

/** A TCP/UDP port number, 1-65535. */
public record Port(int value) implements Comparable<Port> {

    public Port {
        check("port", value);
    }

    public static Port of(String field, int value) {
        check(field, value);
        return new Port(value);
    }

    public static Port parse(String field, String raw) {
        ValidationException.require(field, raw);
        if (raw.isEmpty() || raw.length() > 5 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ValidationException.got(field, "must be a port number 1-65535", raw);
        }
        return of(field, Integer.parseInt(raw));
    }

    private static void check(String field, int value) {
        if (value < 1 || value > 65535) {
            throw new ValidationException(field, "must be a port number 1-65535; got " + value);
        }
    }

    @Override
    public int compareTo(Port other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
