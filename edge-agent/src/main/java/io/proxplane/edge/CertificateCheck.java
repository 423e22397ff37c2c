package io.proxplane.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Checks that nginx can load a certificate and its key before they reach a configuration: both
 * files readable, the certificate chain parses, the key parses (PKCS#8, PKCS#1 or SEC1 PEM, the
 * formats nginx accepts unencrypted) and belongs to the first certificate. nginx itself would
 * refuse the whole configuration for one such file; checking first lets the agent leave out only
 * that domain. Results are cached by the files' size, mtime and inode, so a site with many domains
 * re-reads only files that changed.
 */
final class CertificateCheck {

    /** What identifies a file's content cheaply: size, modification time and file key (inode). */
    record Stamp(long size, long modifiedNanos, Object fileKey) {
        static Optional<Stamp> of(Path path) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                return Optional.of(new Stamp(a.size(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                        + a.lastModifiedTime().toInstant().getNano(), a.fileKey()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    private record Key(Path certificate, Path key, Optional<Stamp> certificateStamp, Optional<Stamp> keyStamp) {}

    private final Map<Key, Optional<String>> cache = new ConcurrentHashMap<>();

    /** Empty when nginx can load the pair; otherwise why not (one line, paths shown as given). */
    Optional<String> problem(Path certificate, Path key) {
        Key k = new Key(certificate, key, Stamp.of(certificate), Stamp.of(key));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        return cache.computeIfAbsent(k, x -> check(certificate, key));
    }

    /** Stamps of both files (absent = unreadable), for noticing renewed files. */
    static List<Optional<Stamp>> stamps(Path certificate, Path key) {
        return List.of(Stamp.of(certificate), Stamp.of(key));
    }

    static Optional<String> check(Path certificatePath, Path keyPath) {
        X509Certificate leaf;
        try (InputStream in = Files.newInputStream(certificatePath)) {
            Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (chain.isEmpty()) {
                return Optional.of("certificate file " + certificatePath + " holds no PEM certificate");
            }
            leaf = (X509Certificate) chain.iterator().next();
        } catch (NoSuchFileException e) {
            return Optional.of("certificate file " + certificatePath + " does not exist");
        } catch (IOException e) {
            return Optional.of("certificate file " + certificatePath + " is unreadable: " + e.getMessage());
        } catch (GeneralSecurityException | ClassCastException e) {
            return Optional.of("certificate file " + certificatePath + " is not a PEM certificate: " + e.getMessage());
        }
        PrivateKey key;
        try (Reader reader = Files.newBufferedReader(keyPath, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object pem = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (pem instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else if (pem instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                return Optional.of("key file " + keyPath + " holds no unencrypted PEM private key");
            }
        } catch (NoSuchFileException e) {
            return Optional.of("key file " + keyPath + " does not exist");
        } catch (IOException | RuntimeException e) {
            return Optional.of("key file " + keyPath + " is unreadable or not a PEM private key: " + e.getMessage());
        }
        if (!matches(key, leaf.getPublicKey())) {
            return Optional.of("key file " + keyPath + " does not belong to the certificate in " + certificatePath);
        }
        return Optional.empty();
    }

    /** Signs a probe with the private key and verifies it with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null || !algorithm.equals(publicKeyFamily(publicKey))) {
            return false;
        }
        try {
            byte[] probe = "proxplane certificate check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String publicKeyFamily(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> "?";
        };
    }
}
