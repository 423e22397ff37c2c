package io.proxplane.ldap.server;

import io.proxplane.ldap.filter.CompiledFilter;

import java.time.Duration;

/**
 * Protocol policy of the gateway.
 *
 * @param allowAnonymousSearch  serve searches to anonymous connections (the RootDSE and subschema are always readable)
 * @param requireTlsForBind     refuse password binds on connections without TLS (confidentialityRequired, 13)
 * @param sizeLimit             server size limit for non-paged searches (0 = none); paged searches are not capped
 * @param timeLimit             server time limit per search
 * @param maxPagedPerConnection paged searches one connection may hold open at once
 * @param pagedIdleTimeout      a paged search not continued for this long is forgotten
 * @param minPasswordLength     Password Modify refuses shorter new passwords (constraintViolation, 19)
 * @param limits                bounds on every request and connection, checked before decoding
 */
public record GatewayConfig(boolean allowAnonymousSearch, boolean requireTlsForBind, int sizeLimit, Duration timeLimit,
                            CompiledFilter.Limits filterLimits, int maxPagedPerConnection, Duration pagedIdleTimeout,
                            int minPasswordLength, RequestLimits limits) {

    public static GatewayConfig defaults() {
        return new GatewayConfig(false, true, 500, Duration.ofSeconds(30), CompiledFilter.Limits.DEFAULT, 16,
                Duration.ofMinutes(5), 8, RequestLimits.DEFAULT);
    }

    public GatewayConfig withLimits(RequestLimits newLimits) {
        return new GatewayConfig(allowAnonymousSearch, requireTlsForBind, sizeLimit, timeLimit, filterLimits, maxPagedPerConnection,
                pagedIdleTimeout, minPasswordLength, newLimits);
    }

    public GatewayConfig withAnonymousSearch(boolean allow) {
        return new GatewayConfig(allow, requireTlsForBind, sizeLimit, timeLimit, filterLimits, maxPagedPerConnection,
                pagedIdleTimeout, minPasswordLength, limits);
    }

    public GatewayConfig withRequireTlsForBind(boolean require) {
        return new GatewayConfig(allowAnonymousSearch, require, sizeLimit, timeLimit, filterLimits, maxPagedPerConnection,
                pagedIdleTimeout, minPasswordLength, limits);
    }

    public GatewayConfig withSizeLimit(int limit) {
        return new GatewayConfig(allowAnonymousSearch, requireTlsForBind, limit, timeLimit, filterLimits, maxPagedPerConnection,
                pagedIdleTimeout, minPasswordLength, limits);
    }
}
