package io.proxplane.core.registry.alloc;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Locally administered unicast MAC addresses: a fixed three-octet proxplane prefix whose first
 * octet has bit 0x02 set (locally administered) and bit 0x01 clear (unicast), and a random tail.
 * Random rather than sequential so that two registries on one layer-2 network (e.g. staging and
 * production) are unlikely to collide; the registry's UNIQUE constraint rules out collisions
 * within one registry.
 */
public final class MacAddresses {
    /** 0x02 = locally administered unicast; 0x70 0x78 = "px". */
    public static final String DEFAULT_PREFIX = "02:70:78";

    private MacAddresses() {}

    public static String random(String prefix, RandomGenerator random) {
        checkPrefix(prefix);
        int tail = random.nextInt(1 << 24);
        return prefix.toLowerCase() + String.format(":%02x:%02x:%02x", (tail >>> 16) & 0xff, (tail >>> 8) & 0xff, tail & 0xff);
    }

    public static boolean isLocallyAdministeredUnicast(String mac) {
        int first = HexFormat.fromHexDigits(mac.substring(0, 2));
        return (first & 0x02) != 0 && (first & 0x01) == 0;
    }

    public static void checkPrefix(String prefix) {
        if (prefix == null || !prefix.matches("(?i)^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$")) {
            throw new IllegalArgumentException("mac_prefix: '" + prefix + "' must be three octets like 02:70:78");
        }
        if (!isLocallyAdministeredUnicast(prefix)) {
            throw new IllegalArgumentException("mac_prefix: '" + prefix
                    + "' must be locally administered unicast (first octet with bit 0x02 set and bit 0x01 clear)");
        }
    }
}
