package io.proxplane.operator.mapping;

import io.proxplane.operator.api.SecretKeyRef;

import java.util.Optional;

/** Reads one key of a Secret; the mapping layer stays free of Kubernetes clients. */
@FunctionalInterface
public interface SecretResolver {
    /** The decoded value, empty when the Secret or the key does not exist. */
    Optional<SecretValue> read(String namespace, String name, String key);

    /** A secret value and the Secret's resourceVersion it was read from (for change detection). */
    record SecretValue(String value, String resourceVersion) {
        @Override
        public String toString() {
            return "SecretValue[resourceVersion=" + resourceVersion + ", value=***]";
        }
    }

    static String describe(SecretKeyRef ref, String namespace, String key) {
        return "Secret " + namespace + "/" + ref.name + " key '" + key + "'";
    }
}
