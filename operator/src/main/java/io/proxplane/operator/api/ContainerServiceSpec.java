package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Mirrors the engine's {@code ContainerServiceSpec}: exactly one of http, tcp, udp, dnsSrv. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.http) ? 1 : 0) + (has(self.tcp) ? 1 : 0) + (has(self.udp) ? 1 : 0) + (has(self.dnsSrv) ? 1 : 0) == 1",
        message = "exactly one of http, tcp, udp or dnsSrv must be set")
public class ContainerServiceSpec {
    /** The Container (same namespace) the service exposes. */
    @Required
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    @ValidationRule(value = "self == oldSelf", message = "container is immutable; delete and recreate the ContainerService")
    public String container;

    public Http http;
    public Stream tcp;
    public Stream udp;
    public DnsSrv dnsSrv;

    /** {@code https://<hostname>.<domain>/} proxied to the container's {@code internalPort}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Http {
        @Required
        @Size(max = 63)
        @Pattern(Names.DNS_LABEL)
        public String hostname;

        /** An ExternalDomain's name. */
        @Required
        @Size(max = 253)
        @Pattern("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$")
        public String domain;

        public BackendProtocol backendProtocol;

        /** Require a login through the domain's auth server. */
        public Boolean authRequired;

        @Required
        @Min(1)
        @Max(65535)
        public Integer internalPort;
    }

    public enum BackendProtocol { http, https }

    /** A TCP or UDP port of the edge forwarded to {@code internalPort}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Stream {
        @Required
        @Min(1)
        @Max(65535)
        public Integer internalPort;

        /** Requested edge port; empty lets the allocator pick a free one. */
        @Min(2000)
        @Max(65535)
        public Integer externalPort;
    }

    /** A DNS SRV record {@code _name._protocol} pointing at the container. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DnsSrv {
        /** The service label, e.g. {@code minecraft} or {@code _minecraft}. */
        @Required
        @Size(max = 63)
        @Pattern("^_?[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        public String name;

        public SrvProtocol protocol;

        @Required
        @Min(1)
        @Max(65535)
        public Integer port;
    }

    public enum SrvProtocol { tcp, udp }
}
