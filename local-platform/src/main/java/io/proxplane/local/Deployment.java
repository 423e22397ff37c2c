package io.proxplane.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What an apply created, read from {@code tofu show -json}: the platform reports what Terraform
 * recorded, so the summary shows the same values a user sees in {@code tofu state show}.
 */
record Deployment(List<String> sites, List<String> domains, List<Container> containers, List<Service> services,
                  List<String> usersWithPassword) {

    record Container(String name, String site, String node, String vmid, String ipv4, String fqdn) {
    }

    /** One service of kind http, tcp, udp or srv; the fields of the other kinds are null. */
    record Service(String site, String container, String name, String kind, String httpHost, String url,
                   boolean authRequired, Integer internalPort, Integer externalPort, String srvName) {
        String describe() {
            return switch (kind) {
                case "http" -> url != null ? url : "https://" + httpHost + "/";
                case "tcp", "udp" -> kind + " port " + externalPort + " -> " + container + ":" + internalPort;
                default -> "SRV " + srvName;
            };
        }
    }

    static Deployment fromStateJson(JsonNode show) {
        TreeSet<String> sites = new TreeSet<>();
        TreeSet<String> domains = new TreeSet<>();
        List<Container> containers = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        TreeSet<String> users = new TreeSet<>();
        List<JsonNode> resources = new ArrayList<>();
        collect(show.path("values").path("root_module"), resources);
        for (JsonNode r : resources) {
            if (!"managed".equals(r.path("mode").asText())) {
                continue;
            }
            JsonNode v = r.path("values");
            switch (r.path("type").asText()) {
                case "proxplane_site" -> sites.add(text(v, "name"));
                case "proxplane_external_domain" -> domains.add(text(v, "name"));
                case "proxplane_container" -> containers.add(new Container(text(v, "name"), text(v, "site"),
                        text(v, "node"), text(v, "vmid"), text(v, "ipv4"), text(v, "fqdn")));
                case "proxplane_container_service" -> services.add(service(v));
                case "proxplane_user" -> {
                    if (!v.path("password").isMissingNode() && !v.path("password").isNull()) {
                        users.add(text(v, "username"));
                    }
                }
                default -> {
                }
            }
        }
        containers.sort(java.util.Comparator.comparing(Container::name));
        services.sort(java.util.Comparator.comparing((Service s) -> s.container()).thenComparing(Service::name));
        return new Deployment(List.copyOf(sites), List.copyOf(domains), containers, services, List.copyOf(users));
    }

    private static Service service(JsonNode v) {
        String site = text(v, "site");
        String container = text(v, "container");
        String name = text(v, "name");
        JsonNode http = first(v.path("http"));
        if (http != null) {
            String host = text(v, "fqdn");
            if (host == null) {
                host = text(http, "hostname") + "." + text(http, "domain");
            }
            return new Service(site, container, name, "http", host, text(v, "url"),
                    http.path("auth_required").asBoolean(false), integer(http, "internal_port"), null, null);
        }
        for (String proto : List.of("tcp", "udp")) {
            JsonNode s = first(v.path(proto));
            if (s != null) {
                return new Service(site, container, name, proto, null, null, false, integer(s, "internal_port"),
                        integer(v, "external_port"), null);
            }
        }
        JsonNode srv = first(v.path("dns_srv"));
        // fqdn is the SRV owner name (_name._proto.<site domain>); srv_name lacks the domain
        String fqdn = text(v, "fqdn") != null ? text(v, "fqdn") : text(v, "srv_name");
        return new Service(site, container, name, "srv", null, null, false, srv == null ? null : integer(srv, "port"), null,
                fqdn != null ? fqdn : srv == null ? name : "_" + text(srv, "name") + "._" + text(srv, "protocol"));
    }

    /** A nested block is an object (single) or a list of one object, depending on its nesting mode. */
    private static JsonNode first(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            return n.isEmpty() ? null : n.get(0);
        }
        return n;
    }

    private static void collect(JsonNode module, List<JsonNode> into) {
        module.path("resources").forEach(into::add);
        module.path("child_modules").forEach(child -> collect(child, into));
    }

    private static Integer integer(JsonNode v, String field) {
        JsonNode n = v.path(field);
        return n.isNumber() ? n.asInt() : null;
    }

    Container container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no container '" + name + "' in the Terraform state"));
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.path(field);
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
