package io.proxplane.core.registry;

import io.proxplane.core.registry.alloc.MacAddresses;

/** Where the allocators draw uid, gid and vmid numbers from, and the MAC prefix. */
public record AllocationRanges(int uidMin, int uidMax, int gidMin, int gidMax, int vmidMin, int vmidMax,
                               String macPrefix) {
    public static final AllocationRanges DEFAULTS =
            new AllocationRanges(10000, 59999, 10000, 59999, 100, 999_999_999, MacAddresses.DEFAULT_PREFIX);

    public AllocationRanges {
        checkRange("uid", uidMin, uidMax, 1000, Integer.MAX_VALUE - 1);
        checkRange("gid", gidMin, gidMax, 1000, Integer.MAX_VALUE - 1);
        checkRange("vmid", vmidMin, vmidMax, 100, 999_999_999);
        MacAddresses.checkPrefix(macPrefix);
    }

    private static void checkRange(String field, int min, int max, int lowest, int highest) {
        if (min < lowest || max > highest || min > max) {
            throw new IllegalArgumentException(field + " range: " + min + "-" + max + " must lie within "
                    + lowest + "-" + highest + " with min <= max");
        }
    }
}
