package io.proxplane.core.registry.alloc;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Chooses the lowest address of a network that may be handed to a container: never the network
 * or broadcast address, the gateway, an address inside an excluded range (DHCP pool, reserved
 * ranges), or one already in use.
 */
public final class Ipv4Picker {
    private Ipv4Picker() {}

    /** An inclusive range of addresses to skip. */
    public record Range(long start, long end) {
        public Range {
            if (end < start) {
                throw new IllegalArgumentException("range: end " + Ipv4.format(end) + " is before start " + Ipv4.format(start));
            }
        }
    }

    public static OptionalLong lowestFree(Ipv4Network net, long gateway, List<Range> excluded, Set<Long> used) {
        List<Range> sorted = excluded.stream().sorted(Comparator.comparingLong(Range::start)).toList();
        long candidate = net.network() + 1;
        long last = net.broadcast() - 1;
        int r = 0;
        while (candidate <= last) {
            while (r < sorted.size() && sorted.get(r).end() < candidate) {
                r++;
            }
            if (r < sorted.size() && sorted.get(r).start() <= candidate) {
                candidate = sorted.get(r).end() + 1;
                continue;
            }
            if (candidate != gateway && !used.contains(candidate)) {
                return OptionalLong.of(candidate);
            }
            candidate++;
        }
        return OptionalLong.empty();
    }
}
