package io.proxplane.core.model;

import java.util.Locale;

/**
 * A unicast 48-bit MAC address, six hex octets separated by ':' or '-', normalised to lower case
 * with ':' separators. Multicast addresses are refused: they cannot be a container's NIC and
 * dnsmasq would never match them in a DHCP reservation.
 */
public record MacAddress(String value) implements Comparable<MacAddress> {

    static final String RULE = "must be a MAC address of six hex octets separated by ':' (e.g. 02:00:0a:0f:00:17)";

    public MacAddress {
        value = check("macAddress", value);
    }

    public static MacAddress of(String field, String raw) {
        return new MacAddress(check(field, raw));
    }

    /** Builds the address from its 48 low bits. */
    public static MacAddress ofBits(long bits) {
        StringBuilder out = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                out.append(':');
            }
            int octet = (int) ((bits >>> shift) & 0xff);
            out.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return new MacAddress(out.toString());
    }

    static String check(String field, String raw) {
        ValidationException.require(field, raw);
        if (raw.length() != 17) {
            throw ValidationException.got(field, RULE, raw);
        }
        char separator = raw.charAt(2);
        if (separator != ':' && separator != '-') {
            throw ValidationException.got(field, RULE, raw);
        }
        for (int i = 0; i < 17; i++) {
            char c = raw.charAt(i);
            boolean ok = i % 3 == 2 ? c == separator : Character.digit(c, 16) >= 0 && c < 0x80;
            if (!ok) {
                throw ValidationException.got(field, RULE, raw);
            }
        }
        String normalized = raw.toLowerCase(Locale.ROOT).replace('-', ':');
        if ((Character.digit(normalized.charAt(1), 16) & 1) != 0) {
            throw ValidationException.got(field, "must be a unicast MAC address (first octet even)", raw);
        }
        return normalized;
    }

    public long bits() {
        return Long.parseLong(value.replace(":", ""), 16);
    }

    /** Generated MACs use the locally administered bit (0x02 in the first octet). */
    public boolean isLocallyAdministered() {
        return (Character.digit(value.charAt(1), 16) & 2) != 0;
    }

    @Override
    public int compareTo(MacAddress other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
