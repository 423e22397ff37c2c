package io.proxplane.core.model;

/**
 * An IPv4 network in CIDR form, {@code a.b.c.d/p} with 0 &lt;= p &lt;= 32. The address must be the
 * network address (no host bits set): {@code 10.0.0.5/24} is refused with the intended form in the
 * message instead of being silently widened.
 */
public record Ipv4Cidr(Ipv4Address network, int prefixLength) {

    public Ipv4Cidr {
        if (network == null) {
            throw new ValidationException("cidr", "network address is required");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new ValidationException("cidr", "prefix length must be 0-32; got " + prefixLength);
        }
        int mask = mask(prefixLength);
        if ((network.bits() & ~mask) != 0) {
            throw new ValidationException("cidr", "host bits are set in " + network + "/" + prefixLength
                    + "; the network is " + new Ipv4Address(network.bits() & mask) + "/" + prefixLength);
        }
    }

    public static Ipv4Cidr of(String field, String raw) {
        ValidationException.require(field, raw);
        int slash = raw.indexOf('/');
        String prefix = slash < 0 ? "" : raw.substring(slash + 1);
        if (slash < 0 || prefix.isEmpty() || prefix.length() > 2
                || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
                || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
            throw ValidationException.got(field, "must be an IPv4 network a.b.c.d/p with prefix length 0-32", raw);
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.of(field, raw.substring(0, slash));
        } catch (ValidationException e) {
            throw ValidationException.got(field, "must be an IPv4 network a.b.c.d/p with prefix length 0-32", raw);
        }
        try {
            return new Ipv4Cidr(address, Integer.parseInt(prefix));
        } catch (ValidationException e) {
            throw e.withField(field);
        }
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public Ipv4Address netmask() {
        return new Ipv4Address(mask(prefixLength));
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(network.bits() | ~mask(prefixLength));
    }

    public boolean contains(Ipv4Address address) {
        int mask = mask(prefixLength);
        return (address.bits() & mask) == network.bits();
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
