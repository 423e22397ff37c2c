package io.proxplane.core.registry;

public enum ServiceKind {
    HTTP("http"), TCP("tcp"), UDP("udp"), DNS_SRV("dns_srv");

    private final String sql;

    ServiceKind(String sql) {
        this.sql = sql;
    }

    public static ServiceKind fromSql(String s) {
        for (ServiceKind k : values()) {
            if (k.sql.equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind: unknown service kind '" + s + "'");
    }

    /** True for kinds that get an external port from the per-protocol port allocator. */
    public boolean hasExternalPort() {
        return this == TCP || this == UDP;
    }

    @Override
    public String toString() {
        return sql;
    }
}
