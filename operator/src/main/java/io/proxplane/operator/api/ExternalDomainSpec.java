package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
    @JsonPropertyDescription("Default Site for services under this domain.")
    public String site;

    /** Where the certificate comes from: references only, never key material. */
    @JsonPropertyDescription("Where the edge finds the domain's certificate (references only).")
    public Tls tls;

    /** Auth server for services with {@code http.authRequired}, e.g. {@code https://auth.example.com}. */
    @Size(max = 2048)
    @Pattern(Names.HTTP_URL)
    @JsonPropertyDescription("URL of the auth server that services with authRequired send logins to.")
    public String authServerUrl;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.certificateFile) || has(self.keyFile)", message = "certificateFile needs keyFile")
    public static class Tls {
        /** A kubernetes.io/tls Secret the edge mounts. */
        @Size(max = 253)
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        @JsonPropertyDescription("A kubernetes.io/tls Secret with the certificate.")
        public String secretName;

        /** Certificate and key paths on the edge host. */
        @Size(max = 1024)
        @Pattern(Names.PATH)
        @JsonPropertyDescription("Path of the certificate on the edge hosts (with keyFile).")
        public String certificateFile;

        @Size(max = 1024)
        @Pattern(Names.PATH)
        @JsonPropertyDescription("Path of the private key on the edge hosts.")
        public String keyFile;

        /** Contact for ACME issuance. */
        @Size(max = 254)
        @Pattern(Names.MAIL)
        @JsonPropertyDescription("Contact e-mail for ACME certificates.")
        public String acmeEmail;
    }
}
