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

    /** How the edge talks to the auth server (a preset and overrides); default: the built-in layout. */
    @JsonPropertyDescription("How the edge asks the auth server (a preset and overrides); default: the built-in layout.")
    public ForwardAuth forwardAuth;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ForwardAuth {
        /** Layout of the auth server: proxplane (default), oauth2-proxy, authelia or authentik. */
        @io.fabric8.generator.annotation.Pattern("^(proxplane|oauth2-proxy|authelia|authentik)$")
        @JsonPropertyDescription("Layout of the auth server: proxplane (default), oauth2-proxy, authelia or authentik.")
        public String preset;

        /** Absolute URL of the check endpoint, instead of the preset's path under authServerUrl. */
        @Size(max = 2048)
        @Pattern(Names.HTTP_URL)
        @JsonPropertyDescription("Absolute URL of the check endpoint, instead of the preset's path under authServerUrl.")
        public String verifyUrl;

        /** Absolute URL to send people who must sign in (the original URL is appended as a parameter). */
        @Size(max = 2048)
        @Pattern(Names.HTTP_URL)
        @JsonPropertyDescription("Absolute URL to send people who must sign in (the original URL is appended as a parameter).")
        public String signInUrl;

        /** Name of the parameter carrying the original URL (preset's default: redirect or rd). */
        @Pattern("^[A-Za-z0-9_]{1,32}$")
        @JsonPropertyDescription("Name of the parameter carrying the original URL (the preset's default: redirect or rd).")
        public String redirectParameter;

        /** Response headers of the auth server copied to the service, instead of the preset's. */
        @Size(max = 32)
        @JsonPropertyDescription("Response headers of the auth server copied to the service, instead of the preset's.")
        public java.util.List<String> identityHeaders;

        /** Seconds an allow answer is reused (default 300; 0 = never). */
        @io.fabric8.generator.annotation.Min(0)
        @io.fabric8.generator.annotation.Max(3600)
        @JsonPropertyDescription("Seconds an allow answer is reused (default 300; 0 = never).")
        public Integer cacheAllowSeconds;

        /** Seconds a deny answer is reused (default 30; 0 = never). */
        @io.fabric8.generator.annotation.Min(0)
        @io.fabric8.generator.annotation.Max(3600)
        @JsonPropertyDescription("Seconds a deny answer is reused (default 30; 0 = never).")
        public Integer cacheDenySeconds;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.certificateFile) || has(self.keyFile)", message = "certificateFile needs keyFile")
    @ValidationRule(value = "!has(self.acmeEmail) || !has(self.certificateFile)",
            message = "acmeEmail and certificateFile exclude each other: the certificate comes from ACME or from files")
    public static class Tls {
        /**
         * Not supported (refused): the edge reads files. List the Secret in the chart's
         * edge.tls.domains (mounted where the edge looks by default) or set acmeEmail.
         */
        @Size(max = 253)
        @JsonPropertyDescription("Not supported (refused): list the Secret in the chart's edge.tls.domains, or set acmeEmail.")
        @ValidationRule(value = "false", message = "secretName is not supported: list the Secret in the chart's "
                + "edge.tls.domains (the edge then finds it without tls settings), or set acmeEmail")
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

        /** Obtain and renew the certificate by ACME (HTTP-01 through the edge); the account's contact. */
        @Size(max = 254)
        @Pattern(Names.MAIL)
        @JsonPropertyDescription("Contact e-mail for ACME certificates.")
        public String acmeEmail;

        /** ACME directory (default: the edge's, Let's Encrypt unless configured). */
        @Size(max = 2048)
        @Pattern("^https://[^\\s]+$")
        @JsonPropertyDescription("ACME directory URL (default: the edge's, Let's Encrypt unless configured).")
        public String acmeDirectoryUrl;

        /** External account binding key id (with acmeEabHmacKeyFile). */
        @Pattern("^[A-Za-z0-9_.:-]{1,256}$")
        @JsonPropertyDescription("External account binding key id (with acmeEabHmacKeyFile).")
        public String acmeEabKeyId;

        /** File on the edge host holding the base64url EAB HMAC key (the secret stays out of the API). */
        @Size(max = 1024)
        @Pattern(Names.PATH)
        @JsonPropertyDescription("File on the edge hosts holding the base64url EAB HMAC key (the secret stays out of the API).")
        public String acmeEabHmacKeyFile;
    }
}
