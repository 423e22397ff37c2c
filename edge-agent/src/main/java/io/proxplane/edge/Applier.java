package io.proxplane.edge;

import io.proxplane.core.edge.EdgeSnapshot;
import io.proxplane.core.model.ValidationException;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.SiteSnapshot;
import java.util.Optional;
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
    /** False until this process has (re)loaded nginx/dnsmasq once: an earlier agent may have been
     *  killed between swapping the files and signalling the processes. */
    private boolean processesInStep;
    private Long reportedRevision;
    private String reportedError;

    Applier(Registry registry, long siteId, String agentId, SnapshotMapper.Settings mapping, NginxTarget nginx,
            Optional<DnsmasqTarget> dnsmasq, AgentMetrics metrics) {
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
            EdgeSnapshot snapshot = SnapshotMapper.map(site, mapping);
            phase("render", revision);
            NginxTarget.Candidate nc = nginx.render(snapshot);
            Optional<DnsmasqTarget.Candidate> dc = dnsmasq.map(d -> d.render(snapshot));
            metrics.render.record(System.nanoTime() - t);

            boolean nginxChanged = !nginx.liveDigest().equals(Optional.of(nc.digest()));
            boolean dnsChanged = dnsmasq.isPresent() && !dnsmasq.get().liveDigest().equals(Optional.of(dc.get().digest()));

            t = System.nanoTime();
            if (nginxChanged) {
                nginxCandidate = nc;
                phase("write-nginx", revision);
                nginx.write(nc);
                phase("validate-nginx", revision);
                nginx.validate(nc);
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
            if (nginxChanged || !processesInStep) {
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
            if (nginxActivated) {
                nginx.cleanup();
            }

            phase("report", revision);
            reportApplied(revision);
            Result result = nginxChanged || dnsChanged ? Result.APPLIED : Result.UNCHANGED;
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

    private void reportApplied(long revision) {
        if (reportedError == null && reportedRevision != null && reportedRevision >= revision) {
            return;
        }
        try {
            registry.edgeAgents().reportApplied(agentId, siteId, revision);
            reportedRevision = revision;
            reportedError = null;
        } catch (RuntimeException e) {
            log.warn("could not record applied revision {} in the registry: {}", revision, e.getMessage());
        }
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
