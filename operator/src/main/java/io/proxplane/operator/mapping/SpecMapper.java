package io.proxplane.operator.mapping;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.model.ValidationException;
import io.proxplane.operator.api.Container;
import io.proxplane.operator.api.ContainerService;
import io.proxplane.operator.api.ExternalDomain;
import io.proxplane.operator.api.Group;
import io.proxplane.operator.api.Pool;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.User;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Custom resource -> engine spec record, one method per kind. Pure: no I/O, no defaults of its own
 * (the engine records default what the user left out), so both front doors mean the same thing by
 * the same field. Every refusal names the field as the user wrote it.
 */
public final class SpecMapper {
    private SpecMapper() {
    }

    /** Engine field paths are relative to the spec; the engine's {@code name} is the resource's name. */
    public static String path(String engineField, String nameField) {
        if (engineField.equals("name")) return nameField;
        return "spec." + engineField;
    }

    static <T> T mapped(String nameField, Supplier<T> build) {
        try {
            return build.get();
        } catch (ValidationException e) {
            throw new InvalidSpecException(path(e.field(), nameField), e.reason());
        }
    }

    static <T> T require(String field, T value) {
        if (value == null) throw new InvalidSpecException(field, "is required");
        return value;
    }

    public static SiteSpec site(Site r) {
        var s = require("spec", r.getSpec());
        require("spec.proxmoxEndpoints", s.proxmoxEndpoints);
        List<SiteSpec.ProxmoxEndpointSpec> endpoints = new java.util.ArrayList<>();
        for (int i = 0; i < s.proxmoxEndpoints.size(); i++) {
            var e = require("spec.proxmoxEndpoints[" + i + "]", s.proxmoxEndpoints.get(i));
            var ref = require("spec.proxmoxEndpoints[" + i + "].credentialsSecretRef", e.credentialsSecretRef);
            require("spec.proxmoxEndpoints[" + i + "].credentialsSecretRef.namespace", ref.namespace);
            require("spec.proxmoxEndpoints[" + i + "].credentialsSecretRef.name", ref.name);
            String prefix = "spec.proxmoxEndpoints[" + i + "]";
            try {
                endpoints.add(new SiteSpec.ProxmoxEndpointSpec(e.url, e.tokenId, credentialsRef(ref.namespace, ref.name)));
            } catch (ValidationException x) {
                throw new InvalidSpecException(x.field().replace("proxmoxEndpoints", prefix), x.reason());
            }
        }
        Map<String, SiteSpec.NodeOverride> overrides = new LinkedHashMap<>();
        if (s.nodeOverrides != null) {
            s.nodeOverrides.forEach((node, o) -> {
                String field = "spec.nodeOverrides." + node;
                require(field, o);
                try {
                    overrides.put(node, new SiteSpec.NodeOverride(o.storage, o.templateStorage, o.bridge, Boolean.TRUE.equals(o.gpu)));
                } catch (ValidationException e) {
                    throw new InvalidSpecException(field + "." + e.field(), e.reason());
                }
            });
        }
        SiteSpec.PlacementPolicy policy = s.placementPolicy == null ? null : switch (s.placementPolicy) {
            case LeastLoaded -> SiteSpec.PlacementPolicy.LEAST_LOADED;
            case FirstFit -> SiteSpec.PlacementPolicy.FIRST_FIT;
        };
        return mapped("metadata.name", () -> new SiteSpec(r.getMetadata().getName(), s.dnsDomain, s.networkCidr, s.gateway,
                s.dhcpStart, s.dhcpEnd, s.dnsForwarders, s.bridge, endpoints, policy, overrides, s.edgeAddress));
    }

    /** How the engine's {@code credentialsRef} names a Secret: {@code <namespace>/<name>}. */
    public static String credentialsRef(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static ExternalDomainSpec externalDomain(ExternalDomain r) {
        var s = r.getSpec() == null ? new io.proxplane.operator.api.ExternalDomainSpec() : r.getSpec();
        Map<String, String> tls = new TreeMap<>();
        if (s.tls != null) {
            if (s.tls.secretName != null) tls.put("secretName", s.tls.secretName);
            if (s.tls.certificateFile != null) tls.put("certificateFile", s.tls.certificateFile);
            if (s.tls.keyFile != null) tls.put("keyFile", s.tls.keyFile);
            if (s.tls.acmeEmail != null) tls.put("acmeEmail", s.tls.acmeEmail);
            if (s.tls.acmeDirectoryUrl != null) tls.put("acmeDirectoryUrl", s.tls.acmeDirectoryUrl);
            if (s.tls.acmeEabKeyId != null) tls.put("acmeEabKeyId", s.tls.acmeEabKeyId);
            if (s.tls.acmeEabHmacKeyFile != null) tls.put("acmeEabHmacKeyFile", s.tls.acmeEabHmacKeyFile);
        }
        var fa = s.forwardAuth;
        var forwardAuth = fa == null ? null : new io.proxplane.core.edge.ForwardAuth.Settings(fa.preset, fa.verifyUrl, fa.signInUrl,
                fa.redirectParameter, fa.identityHeaders, fa.cacheAllowSeconds, fa.cacheDenySeconds);
        try {
            return new ExternalDomainSpec(r.getMetadata().getName(), s.site, tls, s.authServerUrl, forwardAuth);
        } catch (ValidationException e) {
            String f = e.field().startsWith("tlsSource.") ? "spec.tls." + e.field().substring("tlsSource.".length())
                    : path(e.field(), "metadata.name");
            throw new InvalidSpecException(f, e.reason());
        }
    }

    public static ContainerSpec container(Container r) {
        var s = require("spec", r.getSpec());
        ContainerSpec.Features features = s.features == null ? null : new ContainerSpec.Features(
                Boolean.TRUE.equals(s.features.nesting), Boolean.TRUE.equals(s.features.keyctl), Boolean.TRUE.equals(s.features.fuse));
        ContainerSpec.PowerState power = s.powerState == null ? null : switch (s.powerState) {
            case Running -> ContainerSpec.PowerState.RUNNING;
            case Stopped -> ContainerSpec.PowerState.STOPPED;
        };
        // sizes left out take the engine builder's defaults, the same ones Terraform documents
        ContainerSpec defaults = mapped("metadata.name",
                () -> ContainerSpec.builder(s.site, r.getMetadata().getName(), s.image).build());
        return mapped("metadata.name", () -> new ContainerSpec(s.site, r.getMetadata().getName(), s.hostname, s.node, s.image,
                s.cores == null ? defaults.cores() : s.cores, s.memoryMb == null ? defaults.memoryMb() : s.memoryMb,
                s.swapMb == null ? defaults.swapMb() : s.swapMb, s.diskGb == null ? defaults.diskGb() : s.diskGb,
                s.env, s.entrypoint, features, s.sshKeys, s.owner, s.pool, Boolean.TRUE.equals(s.gpu), power));
    }

    /** {@code site} is the site of the Container the service names (resolved by the caller). */
    public static ContainerServiceSpec service(ContainerService r, String site) {
        var s = require("spec", r.getSpec());
        try {
            ContainerServiceSpec.Http http = s.http == null ? null : new ContainerServiceSpec.Http(s.http.hostname, s.http.domain,
                    s.http.backendProtocol == null ? null : s.http.backendProtocol.name(), Boolean.TRUE.equals(s.http.authRequired),
                    require("spec.http.internalPort", s.http.internalPort));
            ContainerServiceSpec.Stream tcp = s.tcp == null ? null : stream("tcp", s.tcp);
            ContainerServiceSpec.Stream udp = s.udp == null ? null : stream("udp", s.udp);
            ContainerServiceSpec.DnsSrv srv = s.dnsSrv == null ? null : new ContainerServiceSpec.DnsSrv(s.dnsSrv.name,
                    s.dnsSrv.protocol == null ? null : s.dnsSrv.protocol.name(), require("spec.dnsSrv.port", s.dnsSrv.port));
            return new ContainerServiceSpec(site, s.container, r.getMetadata().getName(), http, tcp, udp, srv);
        } catch (ValidationException e) {
            String f = switch (e.field()) {
                case "site", "container" -> "spec.container";
                default -> path(e.field(), "metadata.name");
            };
            throw new InvalidSpecException(f, e.reason());
        }
    }

    private static ContainerServiceSpec.Stream stream(String kind, io.proxplane.operator.api.ContainerServiceSpec.Stream s) {
        try {
            return new ContainerServiceSpec.Stream(require("spec." + kind + ".internalPort", s.internalPort), s.externalPort);
        } catch (ValidationException e) {
            throw new InvalidSpecException("spec." + kind + "." + e.field(), e.reason());
        }
    }

    public static PoolSpec pool(Pool r) {
        var s = r.getSpec() == null ? new io.proxplane.operator.api.PoolSpec() : r.getSpec();
        PoolSpec.Quotas quotas = s.quotas == null ? null : mapped("metadata.name",
                () -> new PoolSpec.Quotas(s.quotas.maxContainers, s.quotas.maxCores, s.quotas.maxMemoryMb, s.quotas.maxDiskGb));
        List<PoolSpec.AclGrant> grants = new java.util.ArrayList<>();
        if (s.aclGrants != null) {
            for (int i = 0; i < s.aclGrants.size(); i++) {
                var g = require("spec.aclGrants[" + i + "]", s.aclGrants.get(i));
                String prefix = "spec.aclGrants[" + i + "]";
                try {
                    grants.add(new PoolSpec.AclGrant(g.group, g.user, g.role));
                } catch (ValidationException e) {
                    throw new InvalidSpecException(prefix + e.field().substring("aclGrants".length()), e.reason());
                }
            }
        }
        return mapped("metadata.name", () -> new PoolSpec(r.getMetadata().getName(), quotas, grants));
    }

    /** {@code password} is the clear text read from the referenced Secret, or null to keep the stored hash. */
    public static UserSpec user(User r, String password) {
        var s = r.getSpec() == null ? new io.proxplane.operator.api.UserSpec() : r.getSpec();
        String usernameField = s.username == null ? "metadata.name" : "spec.username";
        UserSpec.Status status = s.status == null ? null : switch (s.status) {
            case Active -> UserSpec.Status.ACTIVE;
            case Suspended -> UserSpec.Status.SUSPENDED;
        };
        UserSpec.TwoFactorMode twoFactor = s.twoFactorMode == null ? null : switch (s.twoFactorMode) {
            case None -> UserSpec.TwoFactorMode.NONE;
            case Push -> UserSpec.TwoFactorMode.PUSH;
        };
        try {
            return new UserSpec(username(r), s.givenName, s.surname, s.mail, s.shell, s.sshKeys, password, status, twoFactor,
                    s.extraGroups, s.primaryGroup);
        } catch (ValidationException e) {
            String f = switch (e.field()) {
                case "username" -> usernameField;
                case "password" -> "spec.passwordSecretRef";
                default -> "spec." + e.field();
            };
            throw new InvalidSpecException(f, e.reason());
        }
    }

    /** {@code password} is the clear text read from the referenced Secret, or null to keep the stored hash. */
    public static io.proxplane.core.engine.spec.ServiceAccountSpec serviceAccount(
            io.proxplane.operator.api.DirectoryServiceAccount r, String password) {
        var s = r.getSpec() == null ? new io.proxplane.operator.api.DirectoryServiceAccountSpec() : r.getSpec();
        String nameField = s.name == null ? "metadata.name" : "spec.name";
        try {
            return new io.proxplane.core.engine.spec.ServiceAccountSpec(serviceAccountName(r), s.description, password);
        } catch (ValidationException e) {
            throw new InvalidSpecException(switch (e.field()) {
                case "name" -> nameField;
                case "password" -> "spec.passwordSecretRef";
                default -> "spec." + e.field();
            }, e.reason());
        }
    }

    public static String serviceAccountName(io.proxplane.operator.api.DirectoryServiceAccount r) {
        return r.getSpec() != null && r.getSpec().name != null ? r.getSpec().name : r.getMetadata().getName();
    }

    public static String username(User r) {
        return r.getSpec() != null && r.getSpec().username != null ? r.getSpec().username : r.getMetadata().getName();
    }

    public static GroupSpec group(Group r) {
        var s = r.getSpec() == null ? new io.proxplane.operator.api.GroupSpec() : r.getSpec();
        String nameField = s.name == null ? "metadata.name" : "spec.name";
        try {
            return new GroupSpec(groupName(r), s.gid, s.members, Boolean.TRUE.equals(s.admin));
        } catch (ValidationException e) {
            throw new InvalidSpecException(e.field().equals("name") ? nameField : "spec." + e.field(), e.reason());
        }
    }

    public static String groupName(Group r) {
        return r.getSpec() != null && r.getSpec().name != null ? r.getSpec().name : r.getMetadata().getName();
    }
}
