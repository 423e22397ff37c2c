package io.proxplane.operator.mapping;

import io.proxplane.core.engine.ContainerResult;
import io.proxplane.core.engine.ExternalDomainConverger;
import io.proxplane.core.engine.GroupConverger;
import io.proxplane.core.engine.PoolConverger;
import io.proxplane.core.engine.ServiceStatus;
import io.proxplane.core.engine.SiteConverger;
import io.proxplane.core.engine.SiteObservation;
import io.proxplane.core.engine.UserConverger;
import io.proxplane.operator.api.ContainerServiceStatus;
import io.proxplane.operator.api.ContainerStatus;
import io.proxplane.operator.api.ExternalDomainStatus;
import io.proxplane.operator.api.GroupStatus;
import io.proxplane.operator.api.PoolStatus;
import io.proxplane.operator.api.SiteStatus;
import io.proxplane.operator.api.UserStatus;

import java.time.Instant;
import java.util.List;

/** Engine results -> the kind-specific status fields (conditions are the reconciler's). Pure. */
public final class StatusMapper {
    private StatusMapper() {
    }

    public static SiteStatus site(SiteStatus into, SiteConverger.Status s, SiteObservation observation, Instant polled) {
        into.registryId = s.id();
        into.nodes = s.nodes();
        into.onlineNodes = s.onlineNodes();
        // the NODES column: a printer column shows a list as JSON, so the same list as one line
        into.onlineNodeList = s.onlineNodes() == null ? null : String.join(",", s.onlineNodes());
        into.containers = observation.containers().size();
        into.drifted = (int) observation.drift().stream().map(d -> d.object()).distinct().count();
        into.orphanVmids = observation.orphanVmids().isEmpty() ? null : observation.orphanVmids();
        into.lastPollTime = polled.toString();
        return into;
    }

    public static ExternalDomainStatus externalDomain(ExternalDomainStatus into, ExternalDomainConverger.Status s) {
        into.registryId = s.id();
        into.certificates = s.certificates().isEmpty() ? null : s.certificates().stream().map(c -> {
            var out = new ExternalDomainStatus.Certificate();
            out.agent = c.agentId();
            out.names = c.names().isEmpty() ? null : c.names();
            out.issuer = c.issuer();
            out.serial = c.serial();
            out.notAfter = c.notAfter() == null ? null : c.notAfter().toString();
            out.lastError = c.lastError();
            return out;
        }).toList();
        return into;
    }

    public static ContainerStatus container(ContainerStatus into, ContainerResult r) {
        var s = r.status();
        into.registryId = s.id();
        into.vmid = s.vmid();
        into.node = s.node();
        into.mac = s.mac();
        into.ipv4 = s.ipv4();
        into.fqdn = s.fqdn();
        into.state = s.state();
        into.replacementRequired = emptyToNull(r.replacementRequired());
        into.pendingRestart = emptyToNull(r.pendingRestart());
        return into;
    }

    public static ContainerServiceStatus service(ContainerServiceStatus into, ServiceStatus s) {
        into.registryId = s.id();
        into.site = s.site();
        into.kind = s.kind();
        into.fqdn = s.fqdn();
        into.externalPort = s.externalPort();
        into.srvName = s.srvName();
        into.url = s.url();
        return into;
    }

    public static PoolStatus pool(PoolStatus into, PoolConverger.Status s) {
        into.registryId = s.id();
        into.containers = s.containers();
        into.cores = s.cores();
        into.memoryMb = s.memoryMb();
        into.diskGb = s.diskGb();
        return into;
    }

    public static UserStatus user(UserStatus into, UserConverger.Status s) {
        into.registryId = s.id();
        into.username = s.username();
        into.uid = s.uid();
        into.gid = s.gid();
        into.primaryGroup = s.primaryGroup();
        into.groups = s.groups();
        into.hasPassword = s.hasPassword();
        return into;
    }

    public static GroupStatus group(GroupStatus into, GroupConverger.Status s) {
        into.registryId = s.id();
        into.name = s.name();
        into.gid = s.gid();
        into.members = s.members();
        return into;
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }
}
