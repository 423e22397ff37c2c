package io.proxplane.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fabric8 mock server's CRUD dispatcher plus what the tests need of a real API server:
 * <ul>
 *   <li>a record of every API call an operator under test makes (its client sends
 *       {@link #OPERATOR_AGENT} as User-Agent), as RBAC sees it: verb, API group, resource and
 *       namespace; {@code ChartRbacIT} compares these with the chart's RBAC;</li>
 *   <li>refusals a test switches on (a 403 for the Lease writes, as under RBAC without them);</li>
 *   <li>the API server's check of core/v1 Events that the CRUD mock lacks: an Event's namespace must
 *       equal {@code involvedObject.namespace}, and an Event about a cluster-scoped object
 *       (involvedObject.namespace empty) must be in {@code default} (Kubernetes'
 *       {@code legacyValidateEvent}, for Events without {@code eventTime}); anything else is 422;</li>
 *   <li>a 422 where the CRUD mock throws (an inapplicable JSON patch), as a real API server answers.</li>
 * </ul>
 */
final class ApiServer extends Dispatcher {
    /** User-Agent prefix of the operators' clients; the rest is {@code watch=<namespaces>|*}. */
    static final String OPERATOR_AGENT = "proxplane-operator-under-test";
    static final Path RECORD_DIR = Path.of("target/api-calls");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** One call as RBAC authorizes it; namespace "" for cluster-scoped resources and all-namespace lists. */
    record ApiCall(String watch, String verb, String group, String resource, String namespace) implements Comparable<ApiCall> {
        String line() {
            return String.join("\t", watch, verb, group.isEmpty() ? "core" : group, resource, namespace.isEmpty() ? "*cluster*" : namespace);
        }

        @Override
        public int compareTo(ApiCall o) {
            return line().compareTo(o.line());
        }

        /**
         * Null for paths RBAC does not authorize per resource: /version, discovery (/api, /apis/...)
         * and the like, which Kubernetes grants every authenticated user (system:discovery).
         */
        static ApiCall of(String watch, String method, String pathAndQuery) {
            int q = pathAndQuery.indexOf('?');
            String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
            String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
            List<String> seg = new ArrayList<>(List.of(path.replaceAll("^/+", "").split("/")));
            String group;
            if (seg.size() >= 3 && seg.get(0).equals("api")) {
                group = "";
                seg = seg.subList(2, seg.size());
            } else if (seg.size() >= 4 && seg.get(0).equals("apis")) {
                group = seg.get(1);
                seg = seg.subList(3, seg.size());
            } else {
                return null;
            }
            String namespace = "";
            if (seg.get(0).equals("namespaces") && seg.size() >= 3) {
                namespace = seg.get(1);
                seg = seg.subList(2, seg.size());
            }
            String resource = seg.get(0);
            String name = seg.size() > 1 ? seg.get(1) : null;
            if (seg.size() > 2) resource += "/" + seg.get(2);
            boolean watching = List.of(query.split("&")).contains("watch=true");
            String verb = switch (method) {
                case "GET" -> name != null ? "get" : watching ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name != null ? "delete" : "deletecollection";
                default -> method.toLowerCase();
            };
            return new ApiCall(watch, verb, group, resource, namespace);
        }
    }

    /** A refusal a test switched on: requests with this method on a path starting so get {@code code}. */
    record Refusal(String method, String pathPrefix, int code) {
        boolean matches(RecordedRequest r) {
            return r.getMethod().equals(method) && r.getPath().startsWith(pathPrefix);
        }
    }

    private final Dispatcher crud;
    private final Set<ApiCall> calls = ConcurrentHashMap.newKeySet();
    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();

    ApiServer(Dispatcher crud) {
        this.crud = crud;
    }

    static String agent(Set<String> watchNamespaces) {
        return OPERATOR_AGENT + " watch=" + (watchNamespaces.isEmpty() ? "*" : String.join(",", new TreeSet<>(watchNamespaces)));
    }

    void refuse(Refusal r) {
        refusals.add(r);
    }

    void allow(Refusal r) {
        refusals.remove(r);
    }

    Set<ApiCall> calls() {
        return Set.copyOf(calls);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        if (agent != null && agent.startsWith(OPERATOR_AGENT + " watch=")) {
            ApiCall call = ApiCall.of(agent.substring((OPERATOR_AGENT + " watch=").length()), request.getMethod(), request.getPath());
            if (call != null) calls.add(call);
        }
        for (Refusal r : refusals) {
            if (r.matches(request)) {
                refused.incrementAndGet();
                return status(r.code(), r.code() == 403 ? "Forbidden" : "Refused", "refused by the test: " + r);
            }
        }
        if (request.getMethod().equals("POST") && request.getPath().matches("/api/v1/namespaces/[^/]+/events(\\?.*)?")) {
            String problem = eventProblem(request);
            if (problem != null) return status(422, "Invalid", problem);
        }
        try {
            return crud.dispatch(request);
        } catch (RuntimeException e) {
            // The CRUD mock throws where a real API server answers 422 (a JSON patch whose "replace"
            // names a field the stored object lacks, after a concurrent write); unanswered, the client
            // would wait for its request timeout again and again
            return status(422, "Invalid", "the mock API server could not apply the request: " + e.getMessage());
        }
    }

    private static String eventProblem(RecordedRequest request) {
        String pathNs = request.getPath().split("/")[4];
        try {
            JsonNode e = JSON.readTree(request.getBody().getBytes()); // getBytes leaves the body for the CRUD dispatcher
            String ns = e.path("metadata").path("namespace").asText(pathNs);
            String involved = e.path("involvedObject").path("namespace").asText("");
            if (!ns.equals(pathNs)) return "the namespace of the provided object does not match the namespace sent on the request";
            if (!e.path("eventTime").isMissingNode() && !e.path("eventTime").isNull()) return null; // only the legacy rule is mirrored
            if (involved.isEmpty() ? !ns.equals("default") : !ns.equals(involved)) {
                return "Event \"" + e.path("metadata").path("name").asText() + "\" is invalid: involvedObject.namespace: Invalid value: \""
                        + involved + "\": does not match event.namespace";
            }
            return null;
        } catch (IOException ex) {
            return "not JSON: " + ex.getMessage();
        }
    }

    private static MockResponse status(int code, String reason, String message) {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + JSON.valueToTree(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** Appends this run's operator calls to target/api-calls/ (one file per fixture) for ChartRbacIT. */
    void writeRecord(String name) {
        if (calls.isEmpty()) return;
        try {
            Files.createDirectories(RECORD_DIR);
            List<String> lines = new TreeSet<>(calls).stream().map(ApiCall::line).toList();
            Files.write(RECORD_DIR.resolve(name + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + ".tsv"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }
}
