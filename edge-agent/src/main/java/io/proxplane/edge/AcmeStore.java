package io.proxplane.edge;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.shredzone.acme4j.toolbox.JoseUtils;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * ACME state on the edge host, one owner-only directory per domain:
 * {@code <acme-dir>/<domain>/account.key} (the domain's ACME account key), {@code account.url}
 * (where the CA keeps that account, per directory URL), {@code domain.key} (the certificate's key)
 * and {@code fullchain.pem} (what nginx serves). Keys never leave this directory: the registry
 * holds only the certificate's status. Every file is replaced by {@code rename(2)}, so nginx and
 * the agent's checks see the old file or the new one, never half of one.
 */
final class AcmeStore {
    static final String ACCOUNT_KEY = "account.key";
    static final String DOMAIN_KEY = "domain.key";
    static final String CHAIN = "fullchain.pem";

    static {
        // acme4j's key and CSR helpers name the Bouncy Castle provider
        if (java.security.Security.getProvider("BC") == null) {
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
    }

    private final Path root;

    AcmeStore(Path root) {
        this.root = root;
    }

    Path directory(String domain) {
        return root.resolve(domain);
    }

    Path certificateFile(String domain) {
        return directory(domain).resolve(CHAIN);
    }

    Path keyFile(String domain) {
        return directory(domain).resolve(DOMAIN_KEY);
    }

    /** The domain's account key, created (EC P-256) on first use. */
    synchronized KeyPair accountKey(String domain) {
        return keyPair(domain, ACCOUNT_KEY);
    }

    /** The certificate's key, created (EC P-256) on first use and kept across renewals. */
    synchronized KeyPair domainKey(String domain) {
        return keyPair(domain, DOMAIN_KEY);
    }

    /**
     * RFC 8555 §8.1 key authorization suffix: base64url(JWK thumbprint of the account key). nginx
     * answers every HTTP-01 token with {@code <token>.<thumbprint>}, so no challenge needs a reload.
     */
    String thumbprint(String domain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JoseUtils.thumbprint(accountKey(domain).getPublic()));
    }

    /** Account URL stored for this directory URL (an account belongs to one CA). */
    synchronized Optional<String> accountUrl(String domain, String directoryUrl) {
        Path file = directory(domain).resolve("account.url");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.size() == 2 && lines.get(0).equals(directoryUrl) ? Optional.of(lines.get(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    synchronized void saveAccountUrl(String domain, String directoryUrl, String accountUrl) {
        write(domain, "account.url", directoryUrl + "\n" + accountUrl + "\n", false);
    }

    /** The certificate chain nginx serves, if one was issued. */
    Optional<List<X509Certificate>> chain(String domain) {
        Path file = certificateFile(domain);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (var in = Files.newInputStream(file)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            return chain.isEmpty() ? Optional.empty() : Optional.of(chain);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    void saveChain(String domain, String pem) {
        write(domain, CHAIN, pem, true);
    }

    private KeyPair keyPair(String domain, String name) {
        Path file = directory(domain).resolve(name);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
                return KeyPairUtils.readKeyPair(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        KeyPair pair = KeyPairUtils.createECKeyPair("secp256r1");
        StringWriter pem = new StringWriter();
        try {
            KeyPairUtils.writeKeyPair(pair, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(domain, name, pem.toString(), false);
        return pair;
    }

    /** Writes beside the target, fsyncs, renames over it; keys and account data owner-only. */
    private void write(String domain, String name, String content, boolean publicFile) {
        Path dir = directory(domain);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(root);
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = dir.resolve("." + name + "." + FileOps.randomSuffix() + ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    publicFile ? "rw-r--r--" : "rw-------")))) {
                var buffer = java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileOps.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }
}
