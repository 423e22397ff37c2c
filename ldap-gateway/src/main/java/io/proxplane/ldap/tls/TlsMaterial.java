package io.proxplane.ldap.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** A server key and certificate chain, turned into the SSLContext that LDAPS and StartTLS use. */
public record TlsMaterial(PrivateKey key, List<X509Certificate> chain) {

    public TlsMaterial {
        if (chain.isEmpty()) throw new IllegalArgumentException("the TLS certificate chain is empty");
        chain = List.copyOf(chain);
    }

    /** Reads a PEM certificate chain (leaf first) and a PEM private key (PKCS#8, PKCS#1 or SEC1). */
    public static TlsMaterial fromPem(Path certificateChain, Path privateKey) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certificateChain); PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder h) chain.add(certs.getCertificate(h));
            }
        }
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate found in " + certificateChain);
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(privateKey); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) key = converter.getKeyPair(pair).getPrivate();
            else if (o instanceof PrivateKeyInfo info) key = converter.getPrivateKey(info);
            else throw new IllegalArgumentException("no unencrypted private key found in " + privateKey);
        }
        return new TlsMaterial(key, chain);
    }

    /**
     * Writes the chain (leaf first) and the key as PEM, the files {@link #fromPem} and nginx read.
     * Each file is replaced atomically; the key file is created owner-only before it holds the key.
     */
    public void writePem(Path certificateChain, Path privateKey) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain) pem.append(InternalCa.pem(c));
        InternalCa.writeAtomically(certificateChain, pem.toString(), false);
        InternalCa.writeAtomically(privateKey, InternalCa.pem(key), true);
    }

    public SSLContext sslContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "unused".toCharArray();
        store.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
