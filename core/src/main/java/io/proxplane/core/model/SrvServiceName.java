package io.proxplane.core.model;

/**
 * The owner prefix of an SRV record, {@code _service._proto} (RFC 2782 / RFC 6335): the service
 * name has 1-15 characters [a-z0-9-], at least one letter, not starting or ending with '-'.
 * For example {@code _ldaps._tcp}.
 */
public record SrvServiceName(String service, TransportProtocol protocol) implements Comparable<SrvServiceName> {

    static final String RULE = "must be an SRV service name '_name._tcp' or '_name._udp' where name has 1-15 "
            + "characters [a-z0-9-] with at least one letter, not starting or ending with '-'";

    public SrvServiceName {
        service = checkService("srv.service", service);
        if (protocol == null) {
            throw new ValidationException("srv.protocol", "is required");
        }
    }

    /** Parses {@code _ldaps._tcp}. */
    public static SrvServiceName of(String field, String raw) {
        ValidationException.require(field, raw);
        int dot = raw.indexOf('.');
        if (!raw.startsWith("_") || dot < 0 || !raw.startsWith("._", dot)) {
            throw ValidationException.got(field, RULE, raw);
        }
        String proto = raw.substring(dot + 2);
        TransportProtocol protocol = switch (proto) {
            case "tcp" -> TransportProtocol.TCP;
            case "udp" -> TransportProtocol.UDP;
            default -> throw ValidationException.got(field, RULE, raw);
        };
        try {
            return new SrvServiceName(checkService(field, raw.substring(1, dot)), protocol);
        } catch (ValidationException e) {
            throw ValidationException.got(field, RULE, raw);
        }
    }

    /** From a bare service name ({@code ldaps} or {@code _ldaps}) and a protocol. */
    public static SrvServiceName of(String field, String service, TransportProtocol protocol) {
        ValidationException.require(field, service);
        String bare = service.startsWith("_") ? service.substring(1) : service;
        try {
            return new SrvServiceName(checkService(field, bare), protocol);
        } catch (ValidationException e) {
            throw ValidationException.got(field, RULE, service);
        }
    }

    private static String checkService(String field, String raw) {
        ValidationException.require(field, raw);
        String label = raw.length() > 15 ? null : DnsLabel.normalize(raw, 0, raw.length());
        if (label == null || label.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            throw ValidationException.got(field, RULE, raw);
        }
        return label;
    }

    /** The SRV owner name below {@code domain}, e.g. {@code _ldaps._tcp.cluster.example.internal}. */
    public String ownerIn(DomainName domain) {
        return this + "." + domain;
    }

    @Override
    public int compareTo(SrvServiceName other) {
        int byService = service.compareTo(other.service);
        return byService != 0 ? byService : protocol.compareTo(other.protocol);
    }

    @Override
    public String toString() {
        return "_" + service + "._" + protocol.lowerName();
    }
}
