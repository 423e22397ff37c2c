package io.proxplane.terraform.resources;

import io.proxplane.core.engine.References;

import io.proxplane.core.registry.Claim;
import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.engine.SiteConverger;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.Site;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.NestedBlock;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code proxplane_site}: one {@link SiteSpec}. Each {@code proxmox_endpoint} names its secret by
 * {@code credentials_ref}, resolved from the provider's {@code credentials} (never stored).
 */
final class SiteResource extends EngineResource<SiteSpec> {

    static final SpecPaths PATHS = SpecPaths.of(Map.of());

    @Override
    SpecPaths paths() {
        return PATHS;
    }
    static final SpecPaths ENDPOINT_PATHS = SpecPaths.of(Map.of("proxmoxEndpoints", ""));
    static final SpecPaths OVERRIDE_PATHS = SpecPaths.of(Map.of());

    SiteResource(EngineAccess access) {
        super(access, "proxplane_site", Identity.of("the site name, e.g. lab", "name"));
    }

    @Override
    Optional<References.Reference> declares(TfValue.Obj planned) {
        return Optional.ofNullable(Values.str(planned, "name")).map(n -> new References.Reference("name", References.Kind.SITE, n));
    }

    @Override
    Block block() {
        return new Block(List.of(
                Attribute.computed("id", TfType.STRING, "The site name; the import id."),
                Attribute.required("name", TfType.STRING, "Site name (DNS label). Changing it replaces the site."),
                Attribute.required("dns_domain", TfType.STRING, "Internal DNS domain, e.g. lab.internal."),
                Attribute.required("network_cidr", TfType.STRING, "Container network, e.g. 10.20.0.0/24 (prefix 8-30)."),
                Attribute.required("gateway", TfType.STRING, "Gateway address inside network_cidr."),
                Attribute.optional("dhcp_start", TfType.STRING, "First address of the DHCP range (never allocated to containers)."),
                Attribute.optional("dhcp_end", TfType.STRING, "Last address of the DHCP range."),
                Attribute.optional("dns_forwarders", TfType.listOf(TfType.STRING), "Upstream DNS servers, in order of preference."),
                Attribute.optionalComputed("bridge", TfType.STRING, "Linux bridge for eth0 (default vmbr0)."),
                Attribute.optionalComputed("placement_policy", TfType.STRING, "least_loaded (default) or first_fit."),
                Attribute.optional("edge_address", TfType.STRING, "Where clients reach the site's edge (DNS name or IPv4): "
                        + "TCP/UDP services listen there, so their url names it; unset = no url for them."),
                Attribute.computed("nodes", TfType.listOf(TfType.STRING), "Nodes of the site's clusters when it was last applied."),
                Attribute.computed("online_nodes", TfType.listOf(TfType.STRING), "Of those, the nodes that were online.")),
                List.of(new NestedBlock("proxmox_endpoint", new Block(List.of(
                                Attribute.required("url", TfType.STRING, "https URL of the Proxmox API, e.g. https://pve.example:8006."),
                                Attribute.optional("token_id", TfType.STRING, "Token id user@realm!name, when credentials carry only the secret."),
                                Attribute.optional("credentials_ref", TfType.STRING, "Key of the provider's credentials map (default \"default\": the provider's api_token).")),
                                List.of(), "A Proxmox cluster or host serving the site."), NestedBlock.Nesting.LIST, 1, 0),
                        new NestedBlock("node_override", new Block(List.of(
                                Attribute.optional("storage", TfType.STRING, "Storage for root disks on this node."),
                                Attribute.optional("template_storage", TfType.STRING, "Storage for templates and OCI images on this node."),
                                Attribute.optional("bridge", TfType.STRING, "Bridge on this node."),
                                Attribute.optional("gpu", TfType.BOOL, "The node has a GPU (containers with gpu = true go here).")),
                                List.of(), "Per-node settings, labelled by node name."), NestedBlock.Nesting.MAP, 0, 0)),
                "A site: one container network served by one or more Proxmox endpoints.");
    }

    @Override
    Map<String, TfValue> defaults(TfValue.Obj config) {
        return Map.of("bridge", TfValue.of("vmbr0"), "placement_policy", TfValue.of("least_loaded"));
    }

    @Override
    SiteSpec toSpec(TfValue.Obj v, Diagnostics d) {
        List<SiteSpec.ProxmoxEndpointSpec> endpoints = new ArrayList<>();
        List<TfValue.Obj> eps = Values.objects(v, "proxmox_endpoint");
        for (int i = 0; i < eps.size(); i++) {
            TfValue.Obj e = eps.get(i);
            String ref = Values.str(e, "credentials_ref");
            SiteSpec.ProxmoxEndpointSpec spec = ENDPOINT_PATHS.under(AttributePath.of("proxmox_endpoint").index(i)).build(d, () ->
                    new SiteSpec.ProxmoxEndpointSpec(Values.str(e, "url"), Values.str(e, "token_id"),
                            ref == null ? io.proxplane.terraform.provider.ProviderConfig.DEFAULT_CREDENTIALS_REF : ref));
            endpoints.add(spec);
        }
        Map<String, SiteSpec.NodeOverride> overrides = new LinkedHashMap<>();
        TfValue.Obj ov = Values.obj(v, "node_override");
        if (ov != null) {
            ov.entries().forEach((node, o) -> {
                TfValue.Obj x = (TfValue.Obj) o;
                overrides.put(node, OVERRIDE_PATHS.under(AttributePath.of("node_override").key(node)).build(d, () ->
                        new SiteSpec.NodeOverride(Values.str(x, "storage"), Values.str(x, "template_storage"),
                                Values.str(x, "bridge"), Values.bool(x, "gpu"))));
            });
        }
        if (d.hasErrors()) {
            return null;
        }
        SiteSpec spec = PATHS.build(d, () -> new SiteSpec(Values.str(v, "name"), Values.str(v, "dns_domain"), Values.str(v, "network_cidr"),
                Values.str(v, "gateway"), Values.str(v, "dhcp_start"), Values.str(v, "dhcp_end"), Values.strings(v, "dns_forwarders"),
                Values.str(v, "bridge"), endpoints, Values.choice(v, "placement_policy", SiteSpec.PlacementPolicy.class), overrides,
                Values.str(v, "edge_address")));
        if (spec != null) {
            canonical(d, v, "name", spec.name());
            canonical(d, v, "dns_domain", spec.dnsDomain());
            canonical(d, v, "network_cidr", spec.networkCidr());
        }
        return d.hasErrors() ? null : spec;
    }

    @Override
    TfValue.Obj converge(Claim claim, SiteSpec spec, TfValue.Obj planned, Diagnostics d) {
        SiteConverger.Result r = access.engine().sites().apply(claim, spec);
        access.changed(spec.name());
        // The node lists are taken once (create, import): a node joining later must not turn a
        // planned value into a different applied one.
        return planned.get("nodes").isKnown() ? planned.with("id", TfValue.of(spec.name())) : withStatus(planned, r.status());
    }

    static TfValue.Obj withStatus(TfValue.Obj state, SiteConverger.Status s) {
        return state.with("id", TfValue.of(s.name()))
                .with("nodes", Values.strings(s.nodes()))
                .with("online_nodes", Values.strings(s.onlineNodes()));
    }

    @Override
    void remove(Claim claim, TfValue.Obj prior, Diagnostics d) {
        access.engine().sites().delete(claim, Values.str(prior, "name"));
        access.changed(Values.str(prior, "name"));
    }

    /** The registry row only: no Proxmox call (nodes are refreshed when the site is applied or imported). */
    @Override
    TfValue refresh(TfValue.Obj current, Diagnostics d) {
        String name = Values.str(current, "name");
        Optional<Site> row = access.engine().registry().sites().findByName(name);
        if (row.isEmpty()) {
            return TfValue.NULL;
        }
        if (!current.get("dns_domain").isNull()) {
            return current;
        }
        var s = row.get().spec();
        TfValue.Obj state = current.with("id", TfValue.of(name))
                .with("dns_domain", TfValue.of(s.dnsDomain()))
                .with("network_cidr", TfValue.of(s.networkCidr()))
                .with("gateway", TfValue.of(s.gateway()))
                .with("dhcp_start", TfValue.of(s.dhcpStart()))
                .with("dhcp_end", TfValue.of(s.dhcpEnd()))
                .with("dns_forwarders", Values.unsetIfEmpty(s.dnsForwarders()))
                .with("bridge", TfValue.of(s.bridge()))
                .with("placement_policy", TfValue.of(s.placementPolicy().replace('-', '_')))
                .with("edge_address", TfValue.of(s.edgeAddress()));
        List<TfValue> eps = new ArrayList<>();
        for (ProxmoxEndpoint e : s.proxmoxEndpoints()) {
            Map<String, TfValue> m = new LinkedHashMap<>();
            m.put("url", TfValue.of(e.url()));
            m.put("token_id", TfValue.of(e.tokenId()));
            m.put("credentials_ref", io.proxplane.terraform.provider.ProviderConfig.DEFAULT_CREDENTIALS_REF.equals(e.credentialsRef())
                    ? TfValue.NULL : TfValue.of(e.credentialsRef()));
            eps.add(TfValue.obj(m));
        }
        state = state.with("proxmox_endpoint", TfValue.seq(eps));
        Map<String, TfValue> overrides = new LinkedHashMap<>();
        s.nodeOverrides().properties().forEach(e -> {
            Map<String, TfValue> m = new LinkedHashMap<>();
            m.put("storage", textOrNull(e.getValue(), "storage"));
            m.put("template_storage", textOrNull(e.getValue(), "templateStorage"));
            m.put("bridge", textOrNull(e.getValue(), "bridge"));
            m.put("gpu", Values.unsetIfFalse(e.getValue().path("gpu").asBoolean()));
            overrides.put(e.getKey(), TfValue.obj(m));
        });
        TfValue.Obj filled = state.with("node_override", TfValue.obj(overrides));
        return access.engine().sites().observe(name).map(st -> (TfValue) withStatus(filled, st)).orElse(TfValue.NULL);
    }

    private static TfValue textOrNull(JsonNode node, String field) {
        return node.has(field) ? TfValue.of(node.get(field).asText()) : TfValue.NULL;
    }
}
