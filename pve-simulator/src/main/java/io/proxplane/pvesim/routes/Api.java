package io.proxplane.pvesim.routes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.ParamSpec;
import io.proxplane.pvesim.api.RouteSpec;
import io.proxplane.pvesim.api.Validator;
import io.proxplane.pvesim.auth.Subject;
import io.proxplane.pvesim.http.HttpAnswer;
import io.proxplane.pvesim.http.HttpExchange;
import io.proxplane.pvesim.state.Node;
import io.proxplane.pvesim.state.Token;
import io.proxplane.pvesim.state.User;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request pipeline of pveproxy/pvedaemon in PVE's order: authentication (401) → handler lookup
 * (501) → URI/body conflicts (400) → token allowed (403) → permission (403) → proxy to node
 * (500/595) → validation (400) → handler (500 on failure).
 */
public final class Api {
    private static final String PREFIX = "/api2/json";
    private static final List<Route> ROUTES = buildRoutes();
    private final Engine engine;

    public Api(Engine engine) {
        this.engine = engine;
    }

    private static List<Route> buildRoutes() {
        List<Route> all = new ArrayList<>();
        all.addAll(AccessRoutes.routes());
        all.addAll(ClusterRoutes.routes());
        all.addAll(StorageRoutes.routes());
        all.addAll(LxcRoutes.routes());
        all.addAll(TaskRoutes.routes());
        all.addAll(PoolRoutes.routes());
        return List.copyOf(all);
    }

    public static List<RouteSpec> specs() {
        return ROUTES.stream().map(Route::spec).toList();
    }

    /** A fully-parsed body + query parameter map; query values override body values. */
    public Map<String, String> parameters(HttpExchange ex) {
        Map<String, String> params = new LinkedHashMap<>();
        if (ex.body().length > 0) {
            String ct = ex.header("content-type");
            String body = new String(ex.body(), StandardCharsets.UTF_8);
            if (ct != null && ct.toLowerCase().startsWith("application/json")) {
                try {
                    Map<String, Object> m = engine.json.readValue(body, new TypeReference<Map<String, Object>>() {});
                    params.putAll(Validator.stringify(m));
                } catch (Exception e) {
                    throw new ApiException(400, "Parameter verification failed.", Map.of("body", "unable to parse JSON body"));
                }
            } else {
                new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters()
                        .forEach((k, v) -> params.put(k, v.getFirst()));
            }
        }
        ex.query().forEach((k, v) -> params.put(k, v.getFirst()));
        params.remove("_dc");
        return params;
    }

    public HttpAnswer handle(HttpExchange ex) {
        try {
            return answer(200, dispatch(ex));
        } catch (ApiException e) {
            return error(e);
        }
    }

    private record Match(Route route, Map<String, String> pathParams) {}

    private Object dispatch(HttpExchange ex) {
        String method = ex.method();
        if (!ex.rawPath().startsWith(PREFIX + "/") && !ex.rawPath().equals(PREFIX)) {
            throw new ApiException(501, "Method '" + method + " " + ex.rawPath() + "' not implemented");
        }
        List<String> segments = new ArrayList<>();
        for (String s : ex.rawPath().substring(PREFIX.length()).split("/")) {
            if (!s.isEmpty()) segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        String relPath = "/" + String.join("/", segments);
        if ((method.equals("GET") || method.equals("DELETE")) && ex.body().length > 0) {
            throw new ApiException(501, "Unexpected content for method '" + method + "'");
        }
        Duration latency = engine.faults().latencyFor(method, relPath);
        if (!latency.isZero()) sleep(latency);

        Match match = lookup(method, segments);
        Subject subject = null;
        if (match == null || !match.route.world()) {
            subject = authenticate(ex, method);
        } else {
            subject = tryAuthenticate(ex, method);
        }
        Optional<io.proxplane.pvesim.faults.Faults.RequestFault> fault = engine.faults().takeRequestFault(method, relPath);
        if (fault.isPresent()) throw new ApiException(fault.get().status(), fault.get().message());
        if (match == null) throw new ApiException(501, "Method '" + method + " " + relPath + "' not implemented");
        Route route = match.route;

        Map<String, String> params = parameters(ex);
        for (var e : match.pathParams.entrySet()) {
            String given = params.get(e.getKey());
            if (given != null && !given.equals(e.getValue())) {
                throw new ApiException(400, "Parameter verification failed.",
                        Map.of(e.getKey(), "duplicate parameter (already defined in URI) with conflicting values!"));
            }
            params.put(e.getKey(), e.getValue());
        }
        if (subject != null && subject.isToken() && !route.spec().allowToken()) {
            throw new ApiException(403, "URI '" + relPath + "' not available with API token, need proper ticket.");
        }
        Call call = new Call(engine, subject, method, relPath, params);
        if (subject != null || !route.world()) {
            synchronized (engine.state()) {
                route.perm().check(call);
            }
        }
        if (route.proxyToNode()) {
            synchronized (engine.state()) {
                Node n = engine.node(params.get("node"));
                if (!n.online) {
                    throw new ApiException(595, "Errors during connection establishment, proxy handshake: No route to host");
                }
            }
        }
        Validator.validate(route.spec(), params);
        try {
            return route.handler().handle(call);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.fail(String.valueOf(e.getMessage()));
        }
    }

    private Match lookup(String method, List<String> segments) {
        for (Route r : ROUTES) {
            if (!r.spec().method().equals(method)) continue;
            Map<String, String> pp = matchPath(r.spec().pathTemplate(), segments);
            if (pp != null) return new Match(r, pp);
        }
        return null;
    }

    static Map<String, String> matchPath(String template, List<String> segments) {
        String[] t = template.substring(1).split("/");
        Map<String, String> pp = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].equals("{volume}")) {
                // The rest of the path, slashes included, is the volume id (pve-storage fragmentDelimiter).
                if (i >= segments.size()) return null;
                pp.put("volume", String.join("/", segments.subList(i, segments.size())));
                return pp;
            }
            if (i >= segments.size()) return null;
            if (t[i].startsWith("{")) pp.put(t[i].substring(1, t[i].length() - 1), segments.get(i));
            else if (!t[i].equals(segments.get(i))) return null;
        }
        return t.length == segments.size() ? pp : null;
    }

    // ----- authentication -----

    private Subject tryAuthenticate(HttpExchange ex, String method) {
        try {
            return authenticate(ex, method);
        } catch (ApiException e) {
            return null;
        }
    }

    /** Authenticates a request by API token or ticket (+CSRF for writes); 401 otherwise. */
    public Subject authenticate(HttpExchange ex, String method) {
        String auth = ex.header("authorization");
        if (auth != null && auth.startsWith("PVEAPIToken")) return authenticateToken(auth.substring("PVEAPIToken".length()));
        String ticket = null;
        if (auth != null && auth.startsWith("PVEAuthCookie=")) ticket = auth.substring("PVEAuthCookie=".length());
        String cookie = ex.header("cookie");
        if (ticket == null && cookie != null) {
            for (String part : cookie.split(";")) {
                String p = part.trim();
                if (p.startsWith("PVEAuthCookie=")) ticket = URLDecoder.decode(p.substring(14), StandardCharsets.UTF_8);
            }
        }
        if (ticket == null || ticket.isEmpty()) throw unauthorized("No ticket");
        String user = engine.tickets().verifyTicket(ticket);
        if (user == null || !userUsable(user)) {
            throw unauthorized(engine.versionAtLeast("9.1.5") ? "Authentication failed!" : "permission denied - invalid PVE ticket");
        }
        if (!method.equals("GET") && !engine.tickets().verifyCsrfToken(ex.header("csrfpreventiontoken"), user)) {
            throw unauthorized("Permission denied - invalid csrf token");
        }
        return new Subject(user, null, true);
    }

    private Subject authenticateToken(String rest) {
        String failed = engine.versionAtLeast("9.1.5") ? "Authentication failed!" : "invalid token value!";
        if (rest.isEmpty() || (rest.charAt(0) != '=' && rest.charAt(0) != ' ')) throw unauthorized(failed);
        String value = URLDecoder.decode(rest.substring(1).trim().replace("+", "%2B"), StandardCharsets.UTF_8);
        int bang = value.indexOf('!');
        if (bang < 0) throw unauthorized(failed);
        int sep = -1;
        for (int i = bang; i < value.length(); i++) {
            if (value.charAt(i) == '=' || value.charAt(i) == ' ') {
                sep = i;
                break;
            }
        }
        if (sep < 0) throw unauthorized(failed);
        String userid = value.substring(0, bang);
        String tokenName = value.substring(bang + 1, sep);
        String secret = value.substring(sep + 1);
        synchronized (engine.state()) {
            User u = engine.state().users.get(userid);
            Token t = u == null ? null : u.tokens.get(tokenName);
            if (t == null || t.secret == null || !java.security.MessageDigest.isEqual(
                    t.secret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
                throw unauthorized(failed);
            }
            long now = engine.now();
            if (!u.enable || (u.expire > 0 && u.expire < now) || (t.expire > 0 && t.expire < now)) throw unauthorized(failed);
        }
        return new Subject(userid, tokenName, false);
    }

    private boolean userUsable(String userid) {
        synchronized (engine.state()) {
            User u = engine.state().users.get(userid);
            return u != null && u.enable && (u.expire == 0 || u.expire >= engine.now());
        }
    }

    private ApiException unauthorized(String message) {
        Duration d = engine.config().unauthorizedDelay();
        if (!d.isZero()) sleep(d);
        return new ApiException(401, message);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ----- envelope -----

    /** Handlers return this to add "total" next to "data". */
    record WithTotal(Object data, int total) {}

    private HttpAnswer answer(int status, Object result) {
        ObjectNode root = engine.json.createObjectNode();
        if (result instanceof WithTotal wt) {
            root.set("data", engine.json.valueToTree(wt.data()));
            root.put("total", wt.total());
        } else {
            root.set("data", engine.json.valueToTree(result));
        }
        return json(status, "OK", root);
    }

    public HttpAnswer error(ApiException e) {
        ObjectNode root = engine.json.createObjectNode();
        root.putNull("data");
        String msg = e.getMessage().endsWith("\n") ? e.getMessage() : e.getMessage() + "\n";
        // The JSON message member exists since libpve-http-server-perl 5.2.0 (PVE 8.3).
        if (engine.versionAtLeast("8.3")) root.put("message", msg);
        if (!e.errors().isEmpty()) root.set("errors", engine.json.valueToTree(e.errors()));
        String reason = msg.split("\n", 2)[0];
        return json(e.status(), reason, root);
    }

    private HttpAnswer json(int status, String reason, ObjectNode root) {
        try {
            return new HttpAnswer(status, reason, engine.json.writeValueAsBytes(root), "application/json;charset=UTF-8");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ParamSpec spec(Route r, String name) {
        return r.spec().parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
