package io.proxplane.operator.api;

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
    public String name;

    @Size(max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    public String namespace;

    /** The key inside the Secret's data; each kind documents its default. */
    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    public String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String namespace, String name, String key) {
        this.namespace = namespace;
        this.name = name;
        this.key = key;
    }
}
