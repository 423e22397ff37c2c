package io.proxplane.core.registry.alloc;

/** IPv4 addresses as unsigned 32-bit values held in a long, so that ranges are plain arithmetic. */
public final class Ipv4 {
    private Ipv4() {}

    /** Parses a dotted quad; {@code field} names the input in the error. */
    public static long parse(String field, String text) {
        if (text == null) {
            throw new IllegalArgumentException(field + ": required IPv4 address");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not an IPv4 address");
        }
        long value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException(field + ": '" + text + "' is not an IPv4 address");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new IllegalArgumentException(field + ": '" + text + "' has an octet above 255");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String format(long value) {
        return ((value >>> 24) & 0xff) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }
}
