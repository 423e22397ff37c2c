package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
    @JsonPropertyDescription("A Container in the same namespace; immutable.")
    public String container;

    @JsonPropertyDescription("An HTTPS route https://<hostname>.<domain>/ at the edge to the container's internalPort.")
    public Http http;
    @JsonPropertyDescription("A TCP port of the edge forwarded to the container.")
    public Stream tcp;
    @JsonPropertyDescription("A UDP port of the edge forwarded to the container.")
    public Stream udp;
    @JsonPropertyDescription("A DNS SRV record _name._protocol.<container>.<site domain> pointing at the container.")
    public DnsSrv dnsSrv;

    /** {@code https://<hostname>.<domain>/} proxied to the container's {@code internalPort}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Http {
        @Required
        @Size(max = 63)
        @Pattern(Names.DNS_LABEL)
        @JsonPropertyDescription("Host name under the domain (www for www.apps.example.com).")
        public String hostname;

        /** An ExternalDomain's name. */
        @Required
        @Size(max = 253)
        @Pattern("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$")
        @JsonPropertyDescription("Name of an ExternalDomain.")
        public String domain;

        @JsonPropertyDescription("Protocol from the edge to the container: http (default) or https.")
        public BackendProtocol backendProtocol;

        /** Require a login through the domain's auth server. */
        @JsonPropertyDescription("Require a login through the ExternalDomain's auth server.")
        public Boolean authRequired;

        @Required
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("The container's port.")
        public Integer internalPort;
    }

    public enum BackendProtocol { http, https }

    /** A TCP or UDP port of the edge forwarded to {@code internalPort}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Stream {
        @Required
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("The container's port.")
        public Integer internalPort;

        /** Requested edge port; empty lets the allocator pick a free one. */
        @Min(2000)
        @Max(65535)
        @JsonPropertyDescription("The edge port (2000-65535); empty lets the allocator pick a free one.")
        public Integer externalPort;
    }

    /** A DNS SRV record {@code _name._protocol} pointing at the container. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DnsSrv {
        /** The service label, e.g. {@code minecraft} or {@code _minecraft}. */
        @Required
        @Size(max = 63)
        @Pattern("^_?[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @JsonPropertyDescription("The service label, e.g. minecraft or _minecraft.")
        public String name;

        @JsonPropertyDescription("tcp or udp.")
        public SrvProtocol protocol;

        @Required
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("The container's port the record points at.")
        public Integer port;
    }

    public enum SrvProtocol { tcp, udp }
}
