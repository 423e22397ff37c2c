package io.proxplane.core.registry;

import java.time.Duration;

/**
 * How to reach the registry database. The password comes from the caller's secret store and is
 * only handed to the driver.
 */
public record RegistryConfig(String jdbcUrl, String username, String password, int maxPoolSize,
                             AllocationRanges ranges, Duration changeFeedPollTimeout) {

    public RegistryConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl: '" + jdbcUrl + "' must start with jdbc:postgresql:");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize: " + maxPoolSize + " must be at least 1");
        }
        ranges = ranges == null ? AllocationRanges.DEFAULTS : ranges;
        changeFeedPollTimeout = changeFeedPollTimeout == null ? Duration.ofSeconds(1) : changeFeedPollTimeout;
    }

    public static RegistryConfig of(String jdbcUrl, String username, String password) {
        return new RegistryConfig(jdbcUrl, username, password, 8, AllocationRanges.DEFAULTS, Duration.ofSeconds(1));
    }

    public RegistryConfig withRanges(AllocationRanges ranges) {
        return new RegistryConfig(jdbcUrl, username, password, maxPoolSize, ranges, changeFeedPollTimeout);
    }

    public RegistryConfig withMaxPoolSize(int size) {
        return new RegistryConfig(jdbcUrl, username, password, size, ranges, changeFeedPollTimeout);
    }

    @Override
    public String toString() {
        return "RegistryConfig[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", maxPoolSize=" + maxPoolSize + ", ranges=" + ranges + "]";
    }
}
