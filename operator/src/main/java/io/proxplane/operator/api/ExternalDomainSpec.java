package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Mirrors the engine's {@code ExternalDomainSpec}; the apex is {@code metadata.name}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalDomainSpec {
    /** Optional default site (a Site's name). */
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    public String site;

    /** Where the certificate comes from: references only, never key material. */
    public Tls tls;

    /** Auth server for services with {@code http.authRequired}, e.g. {@code https://auth.example.com}. */
    @Size(max = 2048)
    @Pattern(Names.HTTP_URL)
    public String authServerUrl;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.certificateFile) || has(self.keyFile)", message = "certificateFile needs keyFile")
    public static class Tls {
        /** A kubernetes.io/tls Secret the edge mounts. */
        @Size(max = 253)
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        public String secretName;

        /** Certificate and key paths on the edge host. */
        @Size(max = 1024)
        @Pattern(Names.PATH)
        public String certificateFile;

        @Size(max = 1024)
        @Pattern(Names.PATH)
        public String keyFile;

        /** Contact for ACME issuance. */
        @Size(max = 254)
        @Pattern(Names.MAIL)
        public String acmeEmail;
    }
}
