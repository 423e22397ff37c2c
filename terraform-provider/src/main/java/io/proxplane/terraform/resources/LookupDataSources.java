package io.proxplane.terraform.resources;

import io.proxplane.core.engine.ContainerStatus;
import io.proxplane.core.engine.SiteConverger;
import io.proxplane.core.engine.UserConverger;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.Site;
import io.proxplane.core.registry.User;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.framework.DataSource;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Look-ups of objects managed by anyone (Terraform or Kubernetes), through the engine's observe calls. */
final class LookupDataSources {

    private LookupDataSources() {
    }

    static List<DataSource> all(EngineAccess access) {
        return List.of(new SiteLookup(access), new ContainerLookup(access), new UserLookup(access));
    }

    /** A look-up of one engine kind: its type name and schema (built once) and the engine it asks. */
    private abstract static class EngineLookup implements DataSource {
        final EngineAccess access;
        private final String typeName;
        private final Schema schema;

        EngineLookup(EngineAccess access, String typeName, Block block) {
            this.access = access;
            this.typeName = typeName;
            this.schema = Schema.of(block);
        }

        @Override
        public final String typeName() {
            return typeName;
        }

        @Override
        public final Schema schema() {
            return schema;
        }
    }

    static final class SiteLookup extends EngineLookup {

        SiteLookup(EngineAccess access) {
            super(access, "proxplane_site", new Block(List.of(
                    Attribute.required("name", TfType.STRING, "Site name."),
                    Attribute.computed("dns_domain", TfType.STRING, "Internal DNS domain."),
                    Attribute.computed("network_cidr", TfType.STRING, "Container network."),
                    Attribute.computed("gateway", TfType.STRING, "Gateway address."),
                    Attribute.computed("nodes", TfType.listOf(TfType.STRING), "Nodes of the site's clusters, sorted."),
                    Attribute.computed("online_nodes", TfType.listOf(TfType.STRING), "Nodes that are online now."),
                    Attribute.computed("managed_by", TfType.STRING, "Manager, e.g. terraform:prod or k8s:infra/lab.")),
                    List.of(), "A registered site, with its nodes as Proxmox reports them now."));
        }

        @Override
        public TfValue.Obj read(TfValue.Obj config, Diagnostics d) {
            String name = Values.str(config, "name");
            Optional<Site> row = access.engine().registry().sites().findByName(name);
            Optional<SiteConverger.Status> st = row.isEmpty() ? Optional.empty() : access.engine().sites().observe(name);
            if (row.isEmpty() || st.isEmpty()) {
                d.error(AttributePath.of("name"), "Site not found", "No site '" + name + "' is registered.");
                return config;
            }
            var s = row.get().spec();
            return config.with("dns_domain", TfValue.of(s.dnsDomain())).with("network_cidr", TfValue.of(s.networkCidr()))
                    .with("gateway", TfValue.of(s.gateway())).with("nodes", Values.strings(st.get().nodes()))
                    .with("online_nodes", Values.strings(st.get().onlineNodes())).with("managed_by", TfValue.of(st.get().managedBy()));
        }
    }

    static final class ContainerLookup extends EngineLookup {

        ContainerLookup(EngineAccess access) {
            super(access, "proxplane_container", new Block(List.of(
                    Attribute.required("site", TfType.STRING, "Site name."),
                    Attribute.required("name", TfType.STRING, "Container name."),
                    Attribute.computed("hostname", TfType.STRING, "Host name."),
                    Attribute.computed("image", TfType.STRING, "Image it runs."),
                    Attribute.computed("cores", TfType.NUMBER, "Cores requested."),
                    Attribute.computed("memory_mb", TfType.NUMBER, "Memory requested (MiB)."),
                    Attribute.computed("vmid", TfType.NUMBER, "Proxmox VMID."),
                    Attribute.computed("node", TfType.STRING, "Node."),
                    Attribute.computed("mac", TfType.STRING, "MAC address."),
                    Attribute.computed("ipv4", TfType.STRING, "IPv4 address."),
                    Attribute.computed("fqdn", TfType.STRING, "FQDN."),
                    Attribute.computed("state", TfType.STRING, "running, stopped, creating or missing, from the bulk read."),
                    Attribute.computed("managed_by", TfType.STRING, "Manager.")),
                    List.of(), "A registered container and its state, from the site's bulk observation."));
        }

        @Override
        public TfValue.Obj read(TfValue.Obj config, Diagnostics d) {
            String site = Values.str(config, "site");
            String name = Values.str(config, "name");
            Optional<Site> s = access.engine().registry().sites().findByName(site);
            Optional<Container> row = s.flatMap(x -> access.engine().registry().containers().findByName(x.id(), name));
            if (row.isEmpty()) {
                d.error(AttributePath.of("name"), "Container not found", "No container '" + name + "' in site '" + site + "'.");
                return config;
            }
            ContainerStatus st = access.observe(site).containers().stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElse(null);
            var spec = row.get().spec();
            return config.with("hostname", TfValue.of(spec.hostname())).with("image", TfValue.of(spec.image()))
                    .with("cores", TfValue.of(spec.resources().cores())).with("memory_mb", TfValue.of(spec.resources().memoryMb()))
                    .with("vmid", Values.num(row.get().vmid())).with("node", TfValue.of(st != null ? st.node() : spec.node()))
                    .with("mac", TfValue.of(row.get().mac())).with("ipv4", TfValue.of(row.get().ipv4()))
                    .with("fqdn", TfValue.of(spec.hostname() + "." + s.get().spec().dnsDomain()))
                    .with("state", TfValue.of(st != null ? st.state() : "missing"))
                    .with("managed_by", TfValue.of(row.get().meta().managedBy()));
        }
    }

    static final class UserLookup extends EngineLookup {

        UserLookup(EngineAccess access) {
            super(access, "proxplane_user", new Block(List.of(
                    Attribute.required("username", TfType.STRING, "User name."),
                    Attribute.computed("uid", TfType.NUMBER, "User id."),
                    Attribute.computed("given_name", TfType.STRING, "Given name."),
                    Attribute.computed("surname", TfType.STRING, "Surname."),
                    Attribute.computed("mail", TfType.STRING, "E-mail address."),
                    Attribute.computed("status", TfType.STRING, "active or suspended."),
                    Attribute.computed("two_factor_mode", TfType.STRING, "none or push."),
                    Attribute.computed("groups", TfType.listOf(TfType.STRING), "Groups, sorted."),
                    Attribute.computed("managed_by", TfType.STRING, "Manager.")),
                    List.of(), "A directory user (never its password or hash)."));
        }

        @Override
        public TfValue.Obj read(TfValue.Obj config, Diagnostics d) {
            String username = Values.str(config, "username");
            Optional<User> row = access.engine().registry().users().findByUsername(username);
            Optional<UserConverger.Status> st = access.engine().users().observe(username);
            if (row.isEmpty() || st.isEmpty()) {
                d.error(AttributePath.of("username"), "User not found", "No user '" + username + "'.");
                return config;
            }
            var s = row.get().spec();
            return config.with("uid", TfValue.of(row.get().uid())).with("given_name", TfValue.of(s.givenName()))
                    .with("surname", TfValue.of(s.surname())).with("mail", TfValue.of(s.mail()))
                    .with("status", TfValue.of(s.status().toLowerCase(Locale.ROOT)))
                    .with("two_factor_mode", TfValue.of(s.twofaMode().toLowerCase(Locale.ROOT)))
                    .with("groups", Values.strings(st.get().groups())).with("managed_by", TfValue.of(st.get().managedBy()));
        }
    }
}
