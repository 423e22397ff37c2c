package io.proxplane.edge;

import io.proxplane.core.edge.EdgeSnapshot;
import io.proxplane.core.model.ValidationException;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.SiteSnapshot;
import io.proxplane.core.model.DomainName;
import io.proxplane.core.registry.EdgeAgentStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One apply cycle for one site: read a consistent snapshot, map, render, and for each target whose
 * content changed write the candidate beside the live files, validate it with the real binary,
 * swap it in atomically and reload; then record the revision or the error in the registry.
 *
 * <p>Both candidates are validated before either is activated, so a cycle changes all or nothing.
 * A failure leaves the live files untouched (the candidates are deleted) and is recorded.
 */
public final class Applier {
    private static final Logger log = LoggerFactory.getLogger(Applier.class);

    public enum Result { APPLIED, UNCHANGED, FAILED }

    /** @param revision the registry revision read (-1 if the read failed) */
    public record Outcome(Result result, long revision, String detail) {}

    private final Registry registry;
    private final long siteId;
    private final String agentId;
    private final SnapshotMapper.Settings mapping;
    private final NginxTarget nginx;
    private final Optional<DnsmasqTarget> dnsmasq;
    private final AgentMetrics metrics;
    private final Optional<AcmeManager> acme;
    /** Domains of the configuration nginx serves, for the certificate file watch. */
    private volatile List<EdgeSnapshot.ExternalDomain> liveDomains = List.of();
    /** False until this process has (re)loaded nginx/dnsmasq once: an earlier agent may have been
     *  killed between swapping the files and signalling the processes. */
    private boolean processesInStep;
    private final CertificateCheck certificates = new CertificateCheck();
    /** Certificate file stamps of the configuration nginx last (re)loaded; null before the first apply. */
    private volatile Map<String, List<Optional<CertificateCheck.Stamp>>> liveCertificateStamps;
    private volatile List<Skipped> currentSkipped = List.of();
    private List<EdgeAgentStatus.Skipped> reportedSkipped = List.of();
    private Long reportedRevision;
    private String reportedError;

    Applier(Registry registry, long siteId, String agentId, SnapshotMapper.Settings mapping, NginxTarget nginx,
            Optional<DnsmasqTarget> dnsmasq, AgentMetrics metrics, Optional<AcmeManager> acme) {
        this.acme = acme;
        this.registry = registry;
        this.siteId = siteId;
        this.agentId = agentId;
        this.mapping = mapping;
        this.nginx = nginx;
        this.dnsmasq = dnsmasq;
        this.metrics = metrics;
    }

    void prepare() {
        nginx.prepareDirectories();
        dnsmasq.ifPresent(DnsmasqTarget::prepareDirectories);
    }

    public synchronized Outcome apply() {
        long start = System.nanoTime();
        long revision = -1;
        NginxTarget.Candidate nginxCandidate = null;
        DnsmasqTarget.Candidate dnsCandidate = null;
        boolean nginxActivated = false;
        boolean dnsActivated = false;
        try {
            phase("read", revision);
            long t = System.nanoTime();
            SiteSnapshot site = registry.siteSnapshot(siteId);
            revision = site.revision();
            SnapshotMapper.Mapped mapped = SnapshotMapper.map(site, mapping);
            List<Skipped> skipped = new ArrayList<>(mapped.skipped());
            EdgeSnapshot snapshot = withLoadableCertificates(mapped.snapshot(), skipped);
            phase("render", revision);
            NginxTarget.Candidate nc = nginx.render(snapshot);
            Optional<DnsmasqTarget.Candidate> dc = dnsmasq.map(d -> d.render(snapshot));
            metrics.render.record(System.nanoTime() - t);

            boolean nginxChanged = !nginx.liveDigest().equals(Optional.of(nc.digest()));
            boolean dnsChanged = dnsmasq.isPresent() && !dnsmasq.get().liveDigest().equals(Optional.of(dc.get().digest()));
            // renewed certificate files: same configuration text, new content nginx reads only at (re)load
            Map<String, List<Optional<CertificateCheck.Stamp>>> stamps = certificateStamps(snapshot);
            boolean certificatesChanged = liveCertificateStamps != null && !stamps.equals(liveCertificateStamps);

            t = System.nanoTime();
            EdgeSnapshot current = snapshot;
            if (nginxChanged) {
                phase("write-nginx", revision);
                // nginx refuses a whole configuration for one certificate it cannot load even when the
                // check above passed (a race with a renewal, a format it does not take): leave out the
                // domains whose files its message names and try again, a bounded number of times
                for (int attempt = 0; ; attempt++) {
                    nginxCandidate = nc;
                    nginx.write(nc);
                    phase("validate-nginx", revision);
                    Optional<String> refused = nginx.check(nc);
                    if (refused.isEmpty()) {
                        break;
                    }
                    nginx.discard(nc);
                    nginxCandidate = null;
                    Set<DomainName> blamed = domainsNamedIn(current, refused.get());
                    if (blamed.isEmpty() || attempt >= 3) {
                        throw new ApplyException(refused.get());
                    }
                    for (DomainName apex : blamed) {
                        skipped.add(Skipped.domain(apex.value(), "nginx cannot load its certificate: " + refused.get()));
                        skipHttpServices(current, apex, skipped);
                    }
                    current = current.withoutDomains(blamed);
                    nc = nginx.render(current);
                    stamps = certificateStamps(current);
                    if (nginx.liveDigest().equals(Optional.of(nc.digest()))) {
                        nginxChanged = false;
                        break;
                    }
                }
            }
            if (dnsChanged) {
                dnsCandidate = dc.get();
                phase("write-dnsmasq", revision);
                dnsmasq.get().write(dnsCandidate);
                phase("validate-dnsmasq", revision);
                dnsmasq.get().validate(dnsCandidate);
            }
            if (nginxChanged || dnsChanged) {
                metrics.validate.record(System.nanoTime() - t);
            }

            phase("activate", revision);
            if (nginxChanged) {
                nginx.activate(nc);
                nginxActivated = true;
            }
            if (dnsChanged) {
                dnsmasq.get().activate(dnsCandidate);
                dnsActivated = true;
            }

            t = System.nanoTime();
            StringBuilder detail = new StringBuilder();
            if (nginxChanged || certificatesChanged || !processesInStep) {
                phase("reload-nginx", revision);
                detail.append("nginx ").append(nginx.reload());
                metrics.countReload("nginx");
            }
            if (dnsmasq.isPresent() && (dnsChanged || !processesInStep)) {
                phase("reload-dnsmasq", revision);
                detail.append(detail.isEmpty() ? "" : ", ").append("dnsmasq ").append(dnsmasq.get().restart());
                metrics.countReload("dnsmasq");
            }
            if (!detail.isEmpty()) {
                metrics.reload.record(System.nanoTime() - t);
            }
            processesInStep = true;
            liveCertificateStamps = stamps;
            liveDomains = current.domains();
            reportSkipped(skipped);
            acme.ifPresent(a -> a.want(mapped.acme()));
            if (nginxActivated) {
                nginx.cleanup();
            }

            phase("report", revision);
            reportApplied(revision, skipped);
            Result result = nginxChanged || dnsChanged || certificatesChanged ? Result.APPLIED : Result.UNCHANGED;
            metrics.countApply(result == Result.APPLIED ? "applied" : "unchanged");
            metrics.lastAppliedRevision(revision);
            metrics.apply.record(System.nanoTime() - start);
            if (result == Result.APPLIED) {
                log.info("applied revision {} ({}) in {} ms", revision, detail, (System.nanoTime() - start) / 1_000_000);
            } else {
                log.debug("revision {}: configuration unchanged{}", revision, detail.isEmpty() ? "" : " (" + detail + ")");
            }
            phase("done", revision);
            return new Outcome(result, revision, detail.toString());
        } catch (RuntimeException e) {
            String message = describe(e);
            if (nginxCandidate != null && !nginxActivated) {
                nginx.discard(nginxCandidate);
            }
            if (dnsCandidate != null && !dnsActivated) {
                dnsmasq.get().discard(dnsCandidate);
            }
            metrics.countApply("failed");
            metrics.apply.record(System.nanoTime() - start);
            log.warn("apply of revision {} failed; the previous configuration keeps serving: {}", revision, message);
            reportError(message);
            phase("failed", revision);
            return new Outcome(Result.FAILED, revision, message);
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof ValidationException v) {
            return "registry data refused: " + v.getMessage();
        }
        if (e instanceof ApplyException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private void reportApplied(long revision, List<Skipped> skipped) {
        List<EdgeAgentStatus.Skipped> rows = skipped.stream().map(Skipped::toRegistry).toList();
        if (reportedError == null && reportedRevision != null && reportedRevision >= revision && rows.equals(reportedSkipped)) {
            return;
        }
        try {
            registry.edgeAgents().reportApplied(agentId, siteId, revision, rows);
            reportedRevision = revision;
            reportedError = null;
            reportedSkipped = rows;
        } catch (RuntimeException e) {
            log.warn("could not record applied revision {} in the registry: {}", revision, e.getMessage());
        }
    }

    /**
     * Restarts nginx or dnsmasq found dead, on the configuration already live (no registry read), so
     * a crash costs the supervision interval, not the time to the next change. Runs between applies.
     */
    synchronized void supervise() {
        if (!processesInStep) {
            return; // the first apply starts them
        }
        try {
            if (nginx.ensureRunning()) {
                metrics.countProcessRestart("nginx");
                log.warn("nginx was not running; started it again on the live configuration");
            }
        } catch (RuntimeException e) {
            log.warn("nginx is not running and could not be started: {}", Skipped.oneLine(String.valueOf(e.getMessage())));
        }
        try {
            if (dnsmasq.isPresent() && dnsmasq.get().ensureRunning()) {
                metrics.countProcessRestart("dnsmasq");
                log.warn("dnsmasq was not running; started it again on the live configuration");
            }
        } catch (RuntimeException e) {
            log.warn("dnsmasq is not running and could not be started: {}", Skipped.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** Logs each skipped object once (when it starts being skipped or its reason changes). */
    private void reportSkipped(List<Skipped> skipped) {
        for (Skipped k : skipped) {
            if (!currentSkipped.contains(k)) {
                log.warn("{}; the rest of the site is served", k.describe());
            }
        }
        for (Skipped k : currentSkipped) {
            if (!skipped.contains(k)) {
                log.info("{} {} is served again", k.kind(), ValidationException.show(k.name()));
            }
        }
        currentSkipped = List.copyOf(skipped);
        metrics.skipped(currentSkipped);
    }

    /** Objects the served configuration leaves out. */
    List<Skipped> skipped() {
        return currentSkipped;
    }

    /** Domains whose certificate or key nginx cannot load are left out before nginx sees them. */
    private EdgeSnapshot withLoadableCertificates(EdgeSnapshot snapshot, List<Skipped> skipped) {
        Set<DomainName> bad = new HashSet<>();
        for (EdgeSnapshot.ExternalDomain domain : snapshot.domains()) {
            Path certificate = Path.of(domain.certificate().value());
            Optional<String> problem = certificates.problem(certificate, Path.of(domain.certificateKey().value()));
            boolean acmeDomain = snapshot.acmeChallenges().stream().anyMatch(c -> c.apex().equals(domain.apex()));
            if (problem.isPresent() && acmeDomain && !java.nio.file.Files.exists(certificate)) {
                problem = Optional.of("waiting for its first ACME certificate (see the domain's certificate status)");
            }
            if (problem.isPresent()) {
                bad.add(domain.apex());
                skipped.add(Skipped.domain(domain.apex().value(), problem.get()));
                skipHttpServices(snapshot, domain.apex(), skipped);
            }
        }
        return snapshot.withoutDomains(bad);
    }

    private static void skipHttpServices(EdgeSnapshot snapshot, DomainName apex, List<Skipped> skipped) {
        for (EdgeSnapshot.HttpService service : snapshot.httpServices()) {
            if (service.domain().equals(apex)) {
                skipped.add(new Skipped(Skipped.SERVICE, service.fqdn(), "its external domain '" + apex + "' is skipped"));
            }
        }
    }

    /** True when a certificate or key file of the served configuration changed since nginx loaded it. */
    boolean certificateFilesChanged() {
        Map<String, List<Optional<CertificateCheck.Stamp>>> live = liveCertificateStamps;
        if (live == null) {
            return false;
        }
        Map<String, List<Optional<CertificateCheck.Stamp>>> now = new HashMap<>();
        for (EdgeSnapshot.ExternalDomain domain : liveDomains) {
            now.put(domain.apex().value(), CertificateCheck.stamps(Path.of(domain.certificate().value()),
                    Path.of(domain.certificateKey().value())));
        }
        return !now.equals(live);
    }

    /** Domains whose certificate or key file nginx's message names (nginx quotes the paths). */
    static Set<DomainName> domainsNamedIn(EdgeSnapshot snapshot, String message) {
        Set<DomainName> named = new HashSet<>();
        for (EdgeSnapshot.ExternalDomain domain : snapshot.domains()) {
            if (message.contains("\"" + domain.certificate().value() + "\"") || message.contains("\"" + domain.certificateKey().value() + "\"")) {
                named.add(domain.apex());
            }
        }
        return named;
    }

    private static Map<String, List<Optional<CertificateCheck.Stamp>>> certificateStamps(EdgeSnapshot snapshot) {
        Map<String, List<Optional<CertificateCheck.Stamp>>> stamps = new HashMap<>();
        for (EdgeSnapshot.ExternalDomain domain : snapshot.domains()) {
            stamps.put(domain.apex().value(), CertificateCheck.stamps(Path.of(domain.certificate().value()),
                    Path.of(domain.certificateKey().value())));
        }
        return stamps;
    }

    private void reportError(String message) {
        if (message.equals(reportedError)) {
            return;
        }
        try {
            registry.edgeAgents().reportError(agentId, siteId, message);
            reportedError = message;
        } catch (RuntimeException e) {
            log.warn("could not record the error in the registry: {}", e.getMessage());
        }
    }

    private static void phase(String name, long revision) {
        if (log.isDebugEnabled()) {
            log.debug("apply phase={} revision={}", name, revision);
        }
    }
}
