package io.proxplane.core.engine.spec;

import io.proxplane.core.model.DomainName;
import io.proxplane.core.model.Port;
import io.proxplane.core.model.SrvServiceName;
import io.proxplane.core.model.ValidationException;

/**
 * A service of a container: exactly one of {@code http}, {@code tcp}, {@code udp}, {@code dnsSrv}.
 */
public record ContainerServiceSpec(String site, String container, String name, Http http, Stream tcp, Stream udp,
                                   DnsSrv dnsSrv) {

    /** An HTTPS host name {@code <hostname>.<domain>} proxied to {@code internalPort}. */
    public record Http(String hostname, String domain, String backendProtocol, boolean authRequired, int internalPort) {
        public Http {
            hostname = Check.label("http.hostname", hostname);
            domain = DomainName.of("http.domain", domain).value();
            backendProtocol = backendProtocol == null ? "http" : backendProtocol;
            if (!backendProtocol.equals("http") && !backendProtocol.equals("https")) {
                throw new ValidationException("http.backendProtocol", "must be http or https");
            }
            Port.of("http.internalPort", internalPort);
        }
    }

    /** A TCP or UDP port; {@code externalPort} null lets the allocator pick one in 2000-65535. */
    public record Stream(int internalPort, Integer externalPort) {
        public Stream {
            Port.of("internalPort", internalPort);
            if (externalPort != null) {
                Check.range("externalPort", externalPort, 2000, 65535);
            }
        }
    }

    /** A DNS SRV record {@code _name._proto} pointing at the container's {@code port}. */
    public record DnsSrv(String name, String protocol, int port) {
        public DnsSrv {
            Check.required("dnsSrv.name", name);
            protocol = protocol == null ? "tcp" : protocol;
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new ValidationException("dnsSrv.protocol", "must be tcp or udp");
            }
            Port.of("dnsSrv.port", port);
        }
    }

    public ContainerServiceSpec {
        site = Check.label("site", site);
        container = Check.label("container", container);
        name = Check.label("name", name);
        int set = (http != null ? 1 : 0) + (tcp != null ? 1 : 0) + (udp != null ? 1 : 0) + (dnsSrv != null ? 1 : 0);
        if (set != 1) {
            throw new ValidationException("http", "exactly one of http, tcp, udp or dnsSrv must be set, got " + set);
        }
        if (dnsSrv != null) SrvServiceName.of("dnsSrv.name", dnsSrvName(dnsSrv));
    }

    private static String dnsSrvName(DnsSrv s) {
        String n = s.name().startsWith("_") ? s.name() : "_" + s.name();
        return n.contains("._") ? n : n + "._" + s.protocol();
    }

    public static ContainerServiceSpec http(String site, String container, String name, Http http) {
        return new ContainerServiceSpec(site, container, name, http, null, null, null);
    }

    public static ContainerServiceSpec tcp(String site, String container, String name, int internalPort, Integer externalPort) {
        return new ContainerServiceSpec(site, container, name, null, new Stream(internalPort, externalPort), null, null);
    }

    public static ContainerServiceSpec udp(String site, String container, String name, int internalPort, Integer externalPort) {
        return new ContainerServiceSpec(site, container, name, null, null, new Stream(internalPort, externalPort), null);
    }

    public static ContainerServiceSpec dnsSrv(String site, String container, String name, DnsSrv srv) {
        return new ContainerServiceSpec(site, container, name, null, null, null, srv);
    }

    /** The SRV owner name as stored, e.g. {@code _minecraft._tcp}. */
    public String srvName() {
        return dnsSrv == null ? null : dnsSrvName(dnsSrv);
    }
}
