package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalDomainStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The domain's id in the proxplane registry.")
    public Long registryId;

    /** With spec.tls.acmeEmail: the certificate each edge agent obtained, or why it could not. */
    @JsonPropertyDescription("With spec.tls.acmeEmail: the certificate each edge agent obtained, or why it could not.")
    public List<Certificate> certificates;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Certificate {
        @JsonPropertyDescription("The edge agent serving it.")
        public String agent;
        @JsonPropertyDescription("DNS names the certificate covers.")
        public List<String> names;
        @JsonPropertyDescription("The issuing CA's subject.")
        public String issuer;
        @JsonPropertyDescription("The certificate's serial number.")
        public String serial;
        @JsonPropertyDescription("End of validity (RFC 3339).")
        public String notAfter;
        @JsonPropertyDescription("The latest failed attempt (the certificate before it, if any, keeps being served).")
        public String lastError;
    }
}
