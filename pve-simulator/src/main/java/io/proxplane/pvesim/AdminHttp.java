package io.proxplane.pvesim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.auth.Subject;
import io.proxplane.pvesim.http.HttpAnswer;
import io.proxplane.pvesim.http.HttpExchange;
import io.proxplane.pvesim.routes.Api;
import java.nio.charset.StandardCharsets;

/** The /_sim/ endpoints of the standalone server (not part of the PVE contract). Root only. */
final class AdminHttp {
    private AdminHttp() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpAnswer handle(PveSimulator sim, Api api, HttpExchange ex) {
        try {
            Subject s = api.authenticate(ex, "GET");
            if (!s.isRoot()) throw ApiException.forbidden("/, Sys.Modify");
            String path = ex.rawPath();
            String m = ex.method();
            JsonNode body = ex.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(ex.body());
            if (m.equals("GET") && path.equals("/_sim/state")) {
                return new HttpAnswer(200, "OK", sim.stateJson().getBytes(StandardCharsets.UTF_8), "application/json;charset=UTF-8");
            }
            FaultInjector f = sim.faults();
            if (m.equals("POST") && path.equals("/_sim/faults/fail-next")) {
                f.failNext(text(body, "method", "GET"), text(body, "pathRegex", ".*"), body.path("times").asInt(1),
                        body.path("status").asInt(500), text(body, "message", "simulated failure"));
            } else if (m.equals("POST") && path.equals("/_sim/faults/fail-task")) {
                f.failTask(text(body, "taskType", null), vmid(body), text(body, "message", "simulated failure"));
            } else if (m.equals("POST") && path.equals("/_sim/faults/hang-task")) {
                f.hangTask(text(body, "taskType", null), vmid(body));
            } else if (m.equals("POST") && path.equals("/_sim/faults/hold-lock")) {
                f.holdLock(body.path("vmid").asInt(), text(body, "lock", "backup"));
            } else if (m.equals("DELETE") && path.equals("/_sim/faults")) {
                f.clear();
            } else if (m.equals("POST") && path.startsWith("/_sim/unlock/")) {
                sim.admin().unlock(Integer.parseInt(path.substring("/_sim/unlock/".length())));
            } else {
                throw new ApiException(501, "Method '" + m + " " + path + "' not implemented");
            }
            return new HttpAnswer(200, "OK", "{\"data\":null}".getBytes(StandardCharsets.UTF_8), "application/json;charset=UTF-8");
        } catch (ApiException e) {
            return sim.error(e);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return sim.error(new ApiException(400, "bad admin request: " + e.getMessage()));
        }
    }

    private static String text(JsonNode n, String field, String def) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (def == null) throw new IllegalArgumentException("missing field '" + field + "'");
            return def;
        }
        return v.asText();
    }

    private static Integer vmid(JsonNode n) {
        JsonNode v = n.get("vmid");
        return v == null || v.isNull() ? null : v.asInt();
    }
}
