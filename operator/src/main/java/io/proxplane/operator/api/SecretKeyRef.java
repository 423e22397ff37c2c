package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A key of a Kubernetes Secret. Cluster-scoped kinds name the namespace; namespaced kinds may leave
 * it empty (their own namespace).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret.")
    public String name;

    @Size(max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Namespace of the Secret; cluster-scoped kinds must name it, namespaced kinds default to their own.")
    public String namespace;

    /** The key inside the Secret's data; each kind documents its default. */
    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key inside the Secret's data; each field says its default.")
    public String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String namespace, String name, String key) {
        this.namespace = namespace;
        this.name = name;
        this.key = key;
    }
}
