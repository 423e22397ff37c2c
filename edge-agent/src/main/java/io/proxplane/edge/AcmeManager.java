package io.proxplane.edge;

import io.proxplane.core.model.ValidationException;
import io.proxplane.core.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains and renews certificates for external domains whose {@code tls_source} asks for ACME,
 * with HTTP-01 answered by the edge's own nginx (the rendered plain-HTTP server returns
 * {@code <token>.<account thumbprint>} for every token, so no challenge needs a reload).
 *
 * <p>Runs on its own thread so an ACME server that is slow or down never delays an apply. After
 * each apply the agent hands over the domains and the names in use ({@link #want}); a domain needs
 * an order when it has no certificate, when its certificate does not cover every name, or when less
 * than a third of its lifetime is left. A new certificate replaces {@code fullchain.pem} by rename
 * and asks the agent for an apply, which notices the changed file and reloads nginx. Failures are
 * retried per domain with back-off (1 min doubling to 6 h) and reported in the registry's
 * {@code edge_certificates} row of the domain; a certificate issued before keeps being served.
 */
final class AcmeManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AcmeManager.class);
    /** Let's Encrypt's limit of names per certificate. */
    static final int MAX_NAMES = 100;
    static final Duration POLL_LIMIT = Duration.ofMinutes(3);

    /** What one domain needs: its registry id, ACME settings and the names its certificate must cover. */
    record Want(long domainId, String domain, String email, Optional<String> directoryUrl, Optional<String> eabKeyId,
            Optional<Path> eabHmacKeyFile, List<String> names) {}

    private final AcmeStore store;
    private final Registry registry;
    private final String agentId;
    private final String defaultDirectoryUrl;
    private final Optional<SSLContext> trust;
    private final Clock clock;
    private final Runnable onIssued;
    private final ExecutorService worker;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile Map<String, Want> wanted = Map.of();
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Map<String, Duration> backoff = new ConcurrentHashMap<>();
    private volatile boolean closed;

    AcmeManager(AcmeStore store, Registry registry, String agentId, String defaultDirectoryUrl, Optional<Path> caFile,
            Clock clock, Runnable onIssued) {
        this.store = store;
        this.registry = registry;
        this.agentId = agentId;
        this.defaultDirectoryUrl = defaultDirectoryUrl;
        this.trust = caFile.map(AcmeManager::sslContext);
        this.clock = clock;
        this.onIssued = onIssued;
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("edge-agent-acme").daemon(true).factory());
    }

    AcmeStore store() {
        return store;
    }

    /** The domains that use ACME in the configuration just applied; starts a check. */
    void want(List<Want> domains) {
        Map<String, Want> next = new HashMap<>();
        for (Want w : domains) {
            next.put(w.domain(), w);
        }
        wanted = Map.copyOf(next);
        check();
    }

    /** Queues one pass over every wanted domain (at most one pass waits at a time). */
    void check() {
        if (closed || !queued.compareAndSet(false, true)) {
            return;
        }
        worker.execute(() -> {
            queued.set(false);
            for (Want w : wanted.values()) {
                if (closed) {
                    return;
                }
                Instant now = clock.instant();
                Instant wait = notBefore.get(w.domain());
                if (wait != null && now.isBefore(wait)) {
                    continue;
                }
                Optional<String> why = reasonToOrder(w, now);
                if (why.isEmpty()) {
                    continue;
                }
                try {
                    issue(w, why.get());
                    notBefore.remove(w.domain());
                    backoff.remove(w.domain());
                    onIssued.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    Duration delay = backoff.merge(w.domain(), Duration.ofMinutes(1),
                            (old, one) -> old.multipliedBy(2).compareTo(Duration.ofHours(6)) > 0 ? Duration.ofHours(6) : old.multipliedBy(2));
                    notBefore.put(w.domain(), clock.instant().plus(delay));
                    String message = Skipped.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage());
                    log.warn("ACME for {} failed (next attempt in {}): {}", ValidationException.show(w.domain()), delay, message);
                    try {
                        registry.edgeCertificates().reportFailure(agentId, w.domainId(), message);
                    } catch (RuntimeException r) {
                        log.warn("could not record the ACME failure of {}: {}", ValidationException.show(w.domain()), r.getMessage());
                    }
                }
            }
        });
    }

    /** Empty when the current certificate is good; otherwise why an order is needed. */
    Optional<String> reasonToOrder(Want w, Instant now) {
        Optional<List<X509Certificate>> chain = store.chain(w.domain());
        if (chain.isEmpty()) {
            return Optional.of("no certificate yet");
        }
        X509Certificate leaf = chain.get().getFirst();
        List<String> covered = names(leaf);
        if (!covered.containsAll(w.names())) {
            return Optional.of("names not covered: " + w.names().stream().filter(n -> !covered.contains(n)).toList());
        }
        Instant start = leaf.getNotBefore().toInstant();
        Instant end = leaf.getNotAfter().toInstant();
        Instant renewAt = end.minus(Duration.between(start, end).dividedBy(3));
        if (!now.isBefore(renewAt)) {
            return Optional.of("renewal due (expires " + end + ")");
        }
        return Optional.empty();
    }

    private void issue(Want w, String why) throws AcmeException, InterruptedException, IOException {
        String directory = w.directoryUrl().orElse(defaultDirectoryUrl);
        log.info("ACME order for {} at {}: {}", ValidationException.show(w.domain()), directory, why);
        Session session = new Session(URI.create(directory), provider());
        Login login = login(session, w, directory);
        Order order = login.newOrder().domains(w.names()).create();
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.getStatus() != Status.PENDING) {
                continue; // a valid authorization the CA reuses
            }
            Http01Challenge challenge = auth.findChallenge(Http01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no http-01 challenge for " + auth.getIdentifier().getDomain()));
            // nginx already answers every token with <token>.<thumbprint> of this account key
            challenge.trigger();
            Status status = challenge.waitForCompletion(POLL_LIMIT);
            if (status != Status.VALID) {
                throw new AcmeException("http-01 for " + auth.getIdentifier().getDomain() + " ended " + status
                        + challenge.getError().map(p -> ": " + p).orElse(""));
            }
        }
        if (order.waitUntilReady(POLL_LIMIT) != Status.READY) {
            throw new AcmeException("order not ready: " + order.getStatus() + order.getError().map(p -> ": " + p).orElse(""));
        }
        order.execute(store.domainKey(w.domain()));
        if (order.waitForCompletion(POLL_LIMIT) != Status.VALID) {
            throw new AcmeException("order not valid: " + order.getStatus() + order.getError().map(p -> ": " + p).orElse(""));
        }
        StringWriter pem = new StringWriter();
        order.getCertificate().writeCertificate(pem);
        store.saveChain(w.domain(), pem.toString());
        X509Certificate leaf = order.getCertificate().getCertificate();
        log.info("ACME certificate for {} issued by {}, valid until {}", ValidationException.show(w.domain()),
                leaf.getIssuerX500Principal().getName(), leaf.getNotAfter().toInstant());
        try {
            registry.edgeCertificates().reportIssued(agentId, w.domainId(), names(leaf), leaf.getIssuerX500Principal().getName(),
                    leaf.getSerialNumber().toString(16), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        } catch (RuntimeException e) {
            log.warn("could not record the certificate of {}: {}", ValidationException.show(w.domain()), e.getMessage());
        }
    }

    private Login login(Session session, Want w, String directory) throws AcmeException, IOException {
        var key = store.accountKey(w.domain());
        Optional<String> known = store.accountUrl(w.domain(), directory);
        if (known.isPresent()) {
            return session.login(URI.create(known.get()).toURL(), key);
        }
        AccountBuilder builder = new AccountBuilder().addEmail(w.email()).agreeToTermsOfService().useKeyPair(key);
        if (w.eabKeyId().isPresent()) {
            builder.withKeyIdentifier(w.eabKeyId().get(), Files.readString(w.eabHmacKeyFile().orElseThrow()).strip());
        }
        Login login = builder.createLogin(session);
        Account account = login.getAccount();
        URL location = login.getAccountLocation();
        store.saveAccountUrl(w.domain(), directory, location.toString());
        log.info("ACME account for {} at {}: {} ({})", ValidationException.show(w.domain()), directory, location, account.getStatus());
        return login;
    }

    private GenericAcmeProvider provider() {
        return new GenericAcmeProvider() {
            @Override
            protected HttpConnector createHttpConnector(NetworkSettings settings) {
                return new HttpConnector(settings) {
                    @Override
                    public java.net.http.HttpClient.Builder createClientBuilder() {
                        var builder = super.createClientBuilder();
                        trust.ifPresent(builder::sslContext);
                        return builder;
                    }
                };
            }
        };
    }

    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            var sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(san.get(1).toString());
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // no names: the certificate is renewed
        }
        return names;
    }

    /** Trusts the PEM CA certificates in {@code caFile} (for an ACME server with a private CA, like a test's). */
    static SSLContext sslContext(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("acme-ca-file: " + caFile + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("acme-ca-file: cannot load " + caFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }
}
