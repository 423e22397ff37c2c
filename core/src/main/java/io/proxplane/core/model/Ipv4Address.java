package io.proxplane.core.model;

/**
 * An IPv4 address in strict dotted-quad form: four decimal octets 0-255 without leading zeros
 * (which some parsers read as octal, so {@code 010.0.0.1} is refused rather than guessed at).
 */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {

    static final String RULE = "must be an IPv4 address a.b.c.d with octets 0-255 and no leading zeros";

    public static Ipv4Address of(String field, String raw) {
        ValidationException.require(field, raw);
        int bits = 0;
        int octets = 0;
        int i = 0;
        int n = raw.length();
        while (true) {
            int start = i;
            int octet = 0;
            while (i < n && raw.charAt(i) >= '0' && raw.charAt(i) <= '9' && i - start < 3) {
                octet = octet * 10 + (raw.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && raw.charAt(start) == '0')) {
                throw ValidationException.got(field, RULE, raw);
            }
            bits = (bits << 8) | octet;
            octets++;
            if (octets == 4) {
                break;
            }
            if (i >= n || raw.charAt(i) != '.') {
                throw ValidationException.got(field, RULE, raw);
            }
            i++;
        }
        if (i != n) {
            throw ValidationException.got(field, RULE, raw);
        }
        return new Ipv4Address(bits);
    }

    public static Ipv4Address ofOctets(int a, int b, int c, int d) {
        for (int octet : new int[] {a, b, c, d}) {
            if (octet < 0 || octet > 255) {
                throw new ValidationException("ipv4Address", "octets must be 0-255; got " + octet);
            }
        }
        return new Ipv4Address((a << 24) | (b << 16) | (c << 8) | d);
    }

    /** The address as an unsigned number, e.g. for range arithmetic. */
    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    public Ipv4Address plus(long offset) {
        long next = unsigned() + offset;
        if (next < 0 || next > 0xFFFF_FFFFL) {
            throw new ValidationException("ipv4Address", "offset " + offset + " leaves the IPv4 space from " + this);
        }
        return new Ipv4Address((int) next);
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
