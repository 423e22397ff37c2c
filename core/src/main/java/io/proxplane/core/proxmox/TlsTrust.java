package io.proxplane.core.proxmox;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * How the client trusts the Proxmox server's certificate. PVE uses a self-signed certificate by
 * default (proxmox-api.md §2.1), so pick one of:
 * <ul>
 *   <li>{@link #system()}: the JDK's trust store, with hostname verification (a real CA-signed certificate);</li>
 *   <li>{@link #caBundle(Path)}: certificates from a PEM file (e.g. {@code /etc/pve/pve-root-ca.pem}), with hostname verification;</li>
 *   <li>{@link #pinnedSha256(String)}: accept exactly the leaf certificate with that SHA-256 fingerprint (as the PVE GUI shows it);
 *       the hostname is not checked because the pin already identifies the server;</li>
 *   <li>{@link #insecure()}: accept anything. An explicit opt-out for experiments; logged as a warning.</li>
 * </ul>
 */
public sealed interface TlsTrust {

    record SystemDefault() implements TlsTrust {
    }

    record CaBundle(Path pemFile) implements TlsTrust {
        public CaBundle {
            Objects.requireNonNull(pemFile, "pemFile");
        }
    }

    /** @param fingerprint 32 bytes, kept as canonical upper-case colon-separated hex */
    record PinnedSha256(String fingerprint) implements TlsTrust {
        public PinnedSha256 {
            fingerprint = canonical(fingerprint);
        }

        public byte[] bytes() {
            return HexFormat.ofDelimiter(":").parseHex(fingerprint.toLowerCase(Locale.ROOT));
        }

        private static String canonical(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("TLS pin: SHA-256 fingerprint required (\"AB:CD:...\")");
            }
            String hex = text.strip().replace(":", "");
            if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("TLS pin: expected a SHA-256 fingerprint of 32 hex bytes "
                        + "(\"AB:CD:...\", colons optional), got '" + text + "'");
            }
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
        }
    }

    record Insecure() implements TlsTrust {
    }

    static TlsTrust system() {
        return new SystemDefault();
    }

    static TlsTrust caBundle(Path pemFile) {
        return new CaBundle(pemFile);
    }

    static TlsTrust pinnedSha256(String fingerprint) {
        return new PinnedSha256(fingerprint);
    }

    static TlsTrust insecure() {
        return new Insecure();
    }
}
