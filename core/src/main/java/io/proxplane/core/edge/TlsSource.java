package io.proxplane.core.edge;

import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.HttpUrl;
import io.proxplane.core.model.ValidationException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where an external domain's certificate comes from, parsed from the string map both front doors
 * take ({@code tls_source} / {@code spec.tls}) and the registry stores. One set of rules for the
 * front doors (at plan and at {@code kubectl apply}) and for the edge (a registry row written by
 * anything else), so a value the edge would refuse never gets past a front door.
 *
 * <ul>
 *   <li>{@link Files}: {@code certificateFile} + {@code keyFile}, PEM files on the edge host;</li>
 *   <li>{@link Acme}: {@code acmeEmail} [+ {@code acmeDirectoryUrl}] [+ {@code acmeEabKeyId} +
 *       {@code acmeEabHmacKeyFile}]: the edge obtains and renews the certificate itself;</li>
 *   <li>{@link Default}: nothing set, the edge's default paths {@code <dir>/<domain>.crt|.key}.</li>
 * </ul>
 */
public sealed interface TlsSource {

    Set<String> KEYS = Set.of("certificateFile", "keyFile", "acmeEmail", "acmeDirectoryUrl", "acmeEabKeyId",
            "acmeEabHmacKeyFile");
    /** Spellings registries written before the engine hold; accepted from the registry only. */
    Map<String, String> LEGACY_KEYS = Map.of("certificate_file", "certificateFile", "key_file", "keyFile");
    String KNOWN = "certificateFile, keyFile, acmeEmail, acmeDirectoryUrl, acmeEabKeyId, acmeEabHmacKeyFile";
    Pattern MAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    Pattern EAB_KEY_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,256}");

    record Default() implements TlsSource {}

    record Files(ConfigPath certificate, ConfigPath key) implements TlsSource {}

    /**
     * @param directoryUrl empty = the edge's default directory (a flag; Let's Encrypt by default)
     * @param eabKeyId     external account binding key id, with {@code eabHmacKeyFile} (a file on
     *                     the edge host holding the base64url HMAC key, so the secret never
     *                     enters the registry)
     */
    record Acme(String email, Optional<HttpUrl> directoryUrl, Optional<String> eabKeyId,
            Optional<ConfigPath> eabHmacKeyFile) implements TlsSource {}

    /** Front-door rules: only the documented keys. {@code prefix} is the field path, e.g. {@code tlsSource}. */
    static TlsSource parse(String prefix, Map<String, String> raw) {
        return parse(prefix, raw, false);
    }

    /**
     * @param legacy also accept {@link #LEGACY_KEYS} (registry rows); a key given in both
     *               spellings is refused
     */
    static TlsSource parse(String prefix, Map<String, String> raw, boolean legacy) {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            String canonical = legacy && LEGACY_KEYS.containsKey(key) ? LEGACY_KEYS.get(key) : key;
            String field = prefix + "." + ValidationException.show(key).replace("'", "");
            if ("secretName".equals(key)) {
                throw new ValidationException(field, "is not supported: the edge reads certificate files, it does not "
                        + "watch Kubernetes Secrets; mount the Secret into the edge and set certificateFile and keyFile to "
                        + "its paths, or set acmeEmail to let the edge obtain the certificate");
            }
            if (!KEYS.contains(canonical)) {
                throw new ValidationException(field, "is not a TLS setting; known: " + KNOWN);
            }
            if (e.getValue() == null) {
                throw new ValidationException(prefix + "." + canonical, "is required (remove the key instead of leaving it empty)");
            }
            if (values.put(canonical, e.getValue()) != null) {
                throw new ValidationException(prefix + "." + canonical, "is given twice (as " + key + " and " + canonical + ")");
            }
        }
        boolean files = values.containsKey("certificateFile") || values.containsKey("keyFile");
        boolean acme = values.keySet().stream().anyMatch(k -> k.startsWith("acme"));
        if (files && acme) {
            throw new ValidationException(prefix + ".acmeEmail",
                    "cannot be combined with certificateFile/keyFile: a domain's certificate comes from files or from ACME");
        }
        if (files) {
            if (!values.containsKey("certificateFile")) {
                throw new ValidationException(prefix + ".certificateFile", "is required with keyFile");
            }
            if (!values.containsKey("keyFile")) {
                throw new ValidationException(prefix + ".keyFile", "is required with certificateFile");
            }
            return new Files(ConfigPath.of(prefix + ".certificateFile", values.get("certificateFile")),
                    ConfigPath.of(prefix + ".keyFile", values.get("keyFile")));
        }
        if (acme) {
            String email = values.get("acmeEmail");
            if (email == null) {
                throw new ValidationException(prefix + ".acmeEmail", "is required for ACME (the account's contact)");
            }
            if (!MAIL.matcher(email).matches()) {
                throw new ValidationException(prefix + ".acmeEmail", "must be a mail address like ops@example.com; got "
                        + ValidationException.show(email));
            }
            Optional<HttpUrl> directory = Optional.ofNullable(values.get("acmeDirectoryUrl"))
                    .map(u -> HttpUrl.of(prefix + ".acmeDirectoryUrl", u));
            if (directory.isPresent() && !directory.get().https()) {
                throw new ValidationException(prefix + ".acmeDirectoryUrl", "must be an https URL (RFC 8555 requires TLS)");
            }
            Optional<String> kid = Optional.ofNullable(values.get("acmeEabKeyId"));
            Optional<ConfigPath> hmac = Optional.ofNullable(values.get("acmeEabHmacKeyFile"))
                    .map(p -> ConfigPath.of(prefix + ".acmeEabHmacKeyFile", p));
            if (kid.isPresent() && !EAB_KEY_ID.matcher(kid.get()).matches()) {
                throw new ValidationException(prefix + ".acmeEabKeyId", "must be 1-256 characters [A-Za-z0-9_.:-]; got "
                        + ValidationException.show(kid.get()));
            }
            if (kid.isPresent() != hmac.isPresent()) {
                throw new ValidationException(prefix + (kid.isPresent() ? ".acmeEabHmacKeyFile" : ".acmeEabKeyId"),
                        "external account binding needs both acmeEabKeyId and acmeEabHmacKeyFile");
            }
            return new Acme(email, directory, kid, hmac);
        }
        return new Default();
    }
}
