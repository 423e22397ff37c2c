package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.Site;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The references a spec makes to other objects (its site, pool, owner, a group's members, ...),
 * checked against the registry without changing anything: Terraform's plan asks before any apply,
 * so a typo in a name is reported at {@code plan} on its attribute rather than half-way through an
 * apply. The converges make the same refusals at apply (an object may be deleted in between).
 *
 * <p>A front door may know of objects the registry does not hold yet because they are created in
 * the same change (the same Terraform plan): {@code declaredElsewhere} accepts those.
 */
public final class References {

    /** What a reference points at. */
    public enum Kind {
        SITE("site", "Site"),
        POOL("pool", "Pool"),
        USER("user", "User"),
        GROUP("group", "Group"),
        /** Key {@code <site>/<container>}. */
        CONTAINER("container", "Container"),
        EXTERNAL_DOMAIN("external domain", "ExternalDomain");

        private final String noun;
        private final String kindName;

        Kind(String noun, String kindName) {
            this.noun = noun;
            this.kindName = kindName;
        }

        public String noun() {
            return noun;
        }

        /** The object kind as both front doors name it (CR kind, resource suffix). */
        public String kindName() {
            return kindName;
        }
    }

    /**
     * One reference: {@code field} is the spec path as the spec records name it ({@code owner},
     * {@code members[2]}, {@code http.domain}), {@code key} the referenced object's name.
     */
    public record Reference(String field, Kind kind, String key) {
        public static Reference container(String field, String site, String name) {
            return new Reference(field, Kind.CONTAINER, site + "/" + name);
        }

        /** One reference per element of a list field ({@code members[0]}, ...); none for a null list. */
        public static List<Reference> each(String field, Kind kind, List<String> names) {
            List<Reference> out = new ArrayList<>();
            for (int i = 0; names != null && i < names.size(); i++) out.add(new Reference(field + "[" + i + "]", kind, names.get(i)));
            return out;
        }
    }

    private final Registry registry;

    References(Registry registry) {
        this.registry = registry;
    }

    /** The references of a container spec. */
    public static List<Reference> of(ContainerSpec s) {
        List<Reference> out = new ArrayList<>();
        out.add(new Reference("site", Kind.SITE, s.site()));
        if (s.pool() != null) out.add(new Reference("pool", Kind.POOL, s.pool()));
        if (s.owner() != null) out.add(new Reference("owner", Kind.USER, s.owner()));
        return out;
    }

    /** The references of a service spec. */
    public static List<Reference> of(ContainerServiceSpec s) {
        List<Reference> out = new ArrayList<>();
        out.add(new Reference("site", Kind.SITE, s.site()));
        out.add(Reference.container("container", s.site(), s.container()));
        if (s.http() != null) out.add(new Reference("http.domain", Kind.EXTERNAL_DOMAIN, s.http().domain()));
        return out;
    }

    /** The references of a group spec: its members. */
    public static List<Reference> of(GroupSpec s) {
        return Reference.each("members", Kind.USER, s.members());
    }

    /** The references of a user spec: its extra groups and primary group. */
    public static List<Reference> of(UserSpec s) {
        List<Reference> out = new ArrayList<>(Reference.each("extraGroups", Kind.GROUP, s.extraGroups()));
        if (s.primaryGroup() != null) out.add(new Reference("primaryGroup", Kind.GROUP, s.primaryGroup()));
        return out;
    }

    /**
     * The references that point at nothing: each as a {@link EngineException.Kind#NOT_FOUND} naming
     * its field. Reads the registry only (no Proxmox call, no write).
     */
    public List<EngineException> missing(List<Reference> refs, Predicate<Reference> declaredElsewhere) {
        return EngineErrors.guard(() -> {
            List<EngineException> out = new ArrayList<>();
            for (Reference r : refs) {
                if (r.key() == null || exists(r, declaredElsewhere) || declaredElsewhere.test(r)) continue;
                out.add(EngineException.missingReference(r.field(), r.kind().noun() + " '" + r.key() + "' does not exist",
                        "create the " + r.kind().kindName() + " first or correct " + r.field()));
            }
            return out;
        });
    }

    /**
     * A service's values that only one service may hold: its requested external port (tcp/udp, per
     * site) and its HTTP host name (per external domain). Null for what is not set or not known.
     */
    public record ServiceValues(String site, String container, String name, String protocol, Integer externalPort,
                                String httpHostname, String domain) {}

    /**
     * The values of {@code s} another service already holds, each as a {@link EngineException.Kind#CONFLICT}
     * naming its field and the holder. The service itself (same site, container and name) holds nothing
     * against itself. Reads the registry only.
     */
    public List<EngineException> taken(ServiceValues s) {
        return EngineErrors.guard(() -> {
            List<EngineException> out = new ArrayList<>();
            Optional<Site> site = s.site() == null ? Optional.empty() : registry.sites().findByName(s.site());
            if (site.isEmpty()) return out;
            if (s.protocol() != null && s.externalPort() != null) {
                registry.services().findByExternalPort(site.get().id(), s.protocol(), s.externalPort())
                        .filter(holder -> !isSelf(holder, s))
                        .ifPresent(holder -> out.add(EngineException.takenValue(s.protocol() + ".externalPort",
                                s.protocol() + " port " + s.externalPort() + " of site '" + s.site() + "' is held by service "
                                        + describe(holder), holder.meta().managedBy(),
                                "choose another port, or leave it unset to get a free one")));
            }
            if (s.httpHostname() != null && s.domain() != null) {
                registry.externalDomains().findByName(s.domain())
                        .flatMap(d -> registry.services().findByHostname(d.id(), s.httpHostname()))
                        .filter(holder -> !isSelf(holder, s))
                        .ifPresent(holder -> out.add(EngineException.takenValue("http.hostname",
                                "host name " + s.httpHostname() + "." + s.domain() + " is served by service " + describe(holder),
                                holder.meta().managedBy(), "choose another host name")));
            }
            return out;
        });
    }

    private boolean isSelf(io.proxplane.core.registry.Service holder, ServiceValues s) {
        return holder.spec().name().equals(s.name()) && registry.containers().get(holder.spec().containerId())
                .map(c -> c.name().equals(s.container())).orElse(false);
    }

    private String describe(io.proxplane.core.registry.Service holder) {
        String container = registry.containers().get(holder.spec().containerId()).map(c -> c.name()).orElse("?");
        return container + "/" + holder.spec().name() + " (managed by " + holder.meta().managedBy() + ")";
    }

    private boolean exists(Reference r, Predicate<Reference> declaredElsewhere) {
        return switch (r.kind()) {
            case SITE -> registry.sites().findByName(r.key()).isPresent();
            case POOL -> registry.pools().findByName(r.key()).isPresent();
            case USER -> registry.users().findByUsername(r.key()).isPresent();
            case GROUP -> registry.groups().findByName(r.key()).isPresent();
            case EXTERNAL_DOMAIN -> registry.externalDomains().findByName(r.key()).isPresent();
            case CONTAINER -> {
                int slash = r.key().indexOf('/');
                String siteName = r.key().substring(0, Math.max(slash, 0));
                Optional<Site> site = slash < 0 ? Optional.empty() : registry.sites().findByName(siteName);
                if (site.isEmpty()) {
                    // a site nobody makes is its own reference's refusal (not reported twice); in a site
                    // made by the same change, the container must be made by it too
                    yield !declaredElsewhere.test(new Reference(r.field(), Kind.SITE, siteName));
                }
                yield registry.containers().findByName(site.get().id(), r.key().substring(slash + 1)).isPresent();
            }
        };
    }
}
