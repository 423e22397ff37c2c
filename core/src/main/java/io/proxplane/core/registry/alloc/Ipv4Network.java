package io.proxplane.core.registry.alloc;

/** An IPv4 network in CIDR form, e.g. 10.0.0.0/24. */
public record Ipv4Network(long network, int prefixLength) {

    public Ipv4Network {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("network_cidr: prefix length " + prefixLength + " is outside 0-32");
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("network_cidr: " + Ipv4.format(network) + "/" + prefixLength
                    + " has host bits set");
        }
    }

    public static Ipv4Network parse(String field, String cidr) {
        if (cidr == null || cidr.indexOf('/') < 0) {
            throw new IllegalArgumentException(field + ": '" + cidr + "' is not in CIDR form like 10.0.0.0/24");
        }
        int slash = cidr.indexOf('/');
        long address = Ipv4.parse(field, cidr.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + cidr + "' has no numeric prefix length");
        }
        return new Ipv4Network(address, prefix);
    }

    static long mask(int prefixLength) {
        return prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
    }

    public long broadcast() {
        return network | (~mask(prefixLength) & 0xffffffffL);
    }

    public boolean contains(long address) {
        return (address & mask(prefixLength)) == network;
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefixLength;
    }
}
