package io.proxplane.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.proxplane.core.engine.CredentialsResolver;
import io.proxplane.core.engine.ProxmoxCredentials;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.operator.api.SecretKeyRef;
import io.proxplane.operator.mapping.SecretResolver;
import io.proxplane.operator.reconcile.MissingSecretException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets for the engine and the reconcilers. A Site's endpoint names a Secret
 * ({@code credentialsRef = <namespace>/<name>}) with the keys:
 * <ul>
 *   <li>{@code secret} (required): the API token secret;</li>
 *   <li>{@code tokenId} (optional): {@code user@realm!name}, else the endpoint's {@code tokenId};</li>
 *   <li>one of {@code caCert} (PEM bundle), {@code fingerprint} (SHA-256 of the leaf certificate) or
 *       {@code insecure} = {@code "true"}; none means the JDK trust store.</li>
 * </ul>
 * Values live in memory only (a CA bundle is written to a private temp file because the client
 * takes a path). The Secret's resourceVersion used per endpoint is remembered so a rotation is seen.
 */
public final class SecretCredentials implements CredentialsResolver, SecretResolver {
    public static final String SECRET = "secret";
    public static final String TOKEN_ID = "tokenId";
    public static final String CA_CERT = "caCert";
    public static final String FINGERPRINT = "fingerprint";
    public static final String INSECURE = "insecure";

    private final KubernetesClient client;
    private final Map<String, String> usedVersion = new ConcurrentHashMap<>();

    public SecretCredentials(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public ProxmoxCredentials resolve(ProxmoxEndpoint endpoint) {
        String ref = endpoint.credentialsRef();
        int slash = ref.indexOf('/');
        if (slash <= 0) {
            throw new MissingSecretException("credentialsRef '" + ref + "' of " + endpoint.url() + " is not <namespace>/<name>");
        }
        Secret s = get(ref.substring(0, slash), ref.substring(slash + 1))
                .orElseThrow(() -> new MissingSecretException("Secret " + ref + " for " + endpoint.url() + " does not exist"));
        String secret = value(s, SECRET).orElseThrow(() ->
                new MissingSecretException("Secret " + ref + " has no key '" + SECRET + "' (the API token secret)"));
        TlsTrust tls = value(s, CA_CERT).map(pem -> TlsTrust.caBundle(writePem(endpoint.url(), pem)))
                .or(() -> value(s, FINGERPRINT).map(TlsTrust::pinnedSha256))
                .or(() -> value(s, INSECURE).filter(v -> v.strip().equalsIgnoreCase("true")).map(v -> TlsTrust.insecure()))
                .orElse(TlsTrust.system());
        usedVersion.put(endpoint.url(), String.valueOf(s.getMetadata().getResourceVersion()));
        return new ProxmoxCredentials(value(s, TOKEN_ID).orElse(endpoint.tokenId()), secret, tls);
    }

    /**
     * Fails with {@code field} named when the endpoint's Secret or its {@code secret} key is missing;
     * returns the endpoint URL when the Secret changed since its client was built (to be forgotten).
     */
    public Optional<String> check(String field, String url, SecretKeyRef ref) {
        Secret s = get(ref.namespace, ref.name).orElseThrow(() ->
                new MissingSecretException(field + ": Secret " + ref.namespace + "/" + ref.name + " does not exist"));
        if (value(s, SECRET).isEmpty()) {
            throw new MissingSecretException(field + ": Secret " + ref.namespace + "/" + ref.name + " has no key '" + SECRET + "'");
        }
        String used = usedVersion.get(url);
        if (used != null && !used.equals(String.valueOf(s.getMetadata().getResourceVersion()))) {
            usedVersion.remove(url);
            return Optional.of(url);
        }
        return Optional.empty();
    }

    @Override
    public Optional<SecretValue> read(String namespace, String name, String key) {
        return get(namespace, name).flatMap(s -> value(s, key).map(v -> new SecretValue(v, s.getMetadata().getResourceVersion())));
    }

    private Optional<Secret> get(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    /** {@code data} is base64; {@code stringData} is accepted too (some tools leave it as written). */
    static Optional<String> value(Secret s, String key) {
        if (s.getData() != null && s.getData().get(key) != null) {
            return Optional.of(new String(Base64.getMimeDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8));
        }
        if (s.getStringData() != null && s.getStringData().get(key) != null) {
            return Optional.of(s.getStringData().get(key));
        }
        return Optional.empty();
    }

    private static Path writePem(String url, String pem) {
        try {
            String name = "proxplane-ca-" + HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)), 0, 8) + ".pem";
            Path file = Path.of(System.getProperty("java.io.tmpdir"), name);
            Files.writeString(file, pem, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA bundle of " + url + " to the temp directory", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
