package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.core.proxmox.error.ApiErrorException;
import io.proxplane.core.proxmox.error.AuthenticationFailedException;
import io.proxplane.core.proxmox.error.CancelledException;
import io.proxplane.core.proxmox.error.ErrorClassifier;
import io.proxplane.core.proxmox.error.LockedException;
import io.proxplane.core.proxmox.error.ProxmoxException;
import io.proxplane.core.proxmox.error.TransientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that talks HTTP to Proxmox: builds the URL from a path template, encodes
 * parameters (query for GET/DELETE, form body for POST/PUT), authenticates, counts and reports
 * every request, unwraps the {@code {"data": ...}} envelope, maps errors to exceptions and retries.
 *
 * <p>Retry rule: only {@link TransientException} and {@link LockedException}, bounded by the
 * {@link RetryPolicy}. A lock error means the handler refused before doing anything, so it is
 * safe to repeat any call. A transient error on a non-idempotent call (create, start, resize by a
 * relative amount ...) is repeated only if the request provably did not reach the handler
 * ({@link TransientException#mayHaveReachedServer()} false: connection never established, 595,
 * 502, 503); after a 596, a timeout or a reset the work may have happened, so the exception goes
 * to the caller, who can look at the real state before trying again.
 */
final class Transport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASK = "********";

    private final HttpUrl apiBase;
    private final OkHttpClient http;
    private final RetryPolicy retryPolicy;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Authentication authentication = Authentication.NONE;

    /** What the counting interceptor needs to know about a request. */
    private record Sent(String method, String template, Map<String, String> pathParameters,
                        Map<String, String> parameters) {
    }

    Transport(HttpUrl apiBase, OkHttpClient.Builder httpBuilder, RetryPolicy retryPolicy) {
        this.apiBase = apiBase;
        this.retryPolicy = retryPolicy;
        // A network interceptor sees every transmission, including OkHttp's own transparent
        // retries of stale keep-alive connections, so the counts are exactly what was sent.
        this.http = httpBuilder.addNetworkInterceptor(chain -> {
            Sent sent = chain.request().tag(Sent.class);
            if (sent != null) {
                counts.computeIfAbsent(sent.method() + " " + sent.template(), k -> new LongAdder()).increment();
                for (RequestListener l : listeners) {
                    try {
                        l.onRequest(sent.method(), sent.template(), sent.pathParameters(), sent.parameters());
                    } catch (RuntimeException e) {
                        LOG.warn("request listener {} failed", l, e);
                    }
                }
            }
            return chain.proceed(chain.request());
        }).build();
    }

    void authentication(Authentication auth) {
        this.authentication = auth;
    }

    Call call(String method, String template, Object... pathArgs) {
        return new Call(method, template, pathArgs);
    }

    Map<String, Long> requestCounts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                snapshot.put(k, n);
            }
        });
        return Collections.unmodifiableMap(snapshot);
    }

    void resetRequestCounts() {
        counts.clear();
    }

    void addListener(RequestListener l) {
        listeners.add(l);
    }

    void removeListener(RequestListener l) {
        listeners.remove(l);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** One API call: method, path template with its arguments, parameters and retry class. */
    final class Call {
        private final String method;
        private final String template;
        private final Map<String, String> pathParams = new LinkedHashMap<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private boolean idempotent;
        private boolean authenticated = true;

        private Call(String method, String template, Object[] pathArgs) {
            this.method = method;
            this.template = template;
            // Plain reads and writes that set absolute values are idempotent; POST is not.
            this.idempotent = method.equals("GET") || method.equals("PUT");
            List<String> names = new ArrayList<>();
            for (String seg : template.split("/")) {
                if (seg.startsWith("{") && seg.endsWith("}")) {
                    names.add(seg.substring(1, seg.length() - 1));
                }
            }
            if (names.size() != pathArgs.length) {
                throw new IllegalArgumentException(template + ": expected " + names.size() + " path arguments, got " + pathArgs.length);
            }
            for (int i = 0; i < pathArgs.length; i++) {
                String value = pathArgs[i] == null ? "" : pathArgs[i].toString();
                if (value.isBlank()) {
                    throw new IllegalArgumentException(names.get(i) + ": must not be empty");
                }
                pathParams.put(names.get(i), value);
            }
        }

        Call param(String name, Object value) {
            if (value != null) {
                params.put(name, value instanceof Boolean b ? (b ? "1" : "0") : value.toString());
            }
            return this;
        }

        Call params(Map<String, String> values) {
            values.forEach(this::param);
            return this;
        }

        /** Repeating this call after a lost response could do the work twice. */
        Call nonIdempotent() {
            idempotent = false;
            return this;
        }

        /** Safe to repeat even though it is a POST or DELETE. */
        Call idempotent() {
            idempotent = true;
            return this;
        }

        Call unauthenticated() {
            authenticated = false;
            return this;
        }

        /** Executes and returns {@code data} of the envelope (a NullNode for {@code null}). */
        JsonNode data() {
            JsonNode d = envelope().get("data");
            return d == null ? JSON.nullNode() : d;
        }

        /** Executes and returns the whole envelope ({@code data}, {@code total} ...). */
        JsonNode envelope() {
            return execute(this);
        }

        String concretePath() {
            StringBuilder sb = new StringBuilder();
            for (String seg : template.split("/")) {
                if (seg.isEmpty()) {
                    continue;
                }
                sb.append('/');
                sb.append(seg.startsWith("{") ? pathParams.get(seg.substring(1, seg.length() - 1)) : seg);
            }
            return sb.toString();
        }
    }

    private JsonNode execute(Call call) {
        String path = call.concretePath();
        int attempt = 0;
        boolean reauthenticated = false;
        Cancellation cancellation = Cancellation.current();
        while (true) {
            attempt++;
            cancellation.check(call.method, path);
            Request request = buildRequest(call);
            ProxmoxException failure;
            try {
                return send(call, path, request);
            } catch (ProxmoxException e) {
                failure = e;
            }
            if (failure instanceof AuthenticationFailedException && call.authenticated && !reauthenticated
                    && authentication.invalidate()) {
                // A ticket can be rejected before we expected it to expire (server restart, key
                // rotation): log in again once, then give up with the original error.
                LOG.info("{} {} rejected the ticket; logging in again", call.method, path);
                reauthenticated = true;
                attempt--;
                continue;
            }
            if (!retryable(failure, call.idempotent) || attempt >= retryPolicy.maxAttempts()) {
                throw failure;
            }
            Duration delay = retryPolicy.delay(attempt);
            LOG.debug("{} (attempt {}/{}), retrying in {} ms", failure.getMessage(), attempt, retryPolicy.maxAttempts(),
                    delay.toMillis());
            try {
                retryPolicy.sleeper().sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    static boolean retryable(ProxmoxException e, boolean idempotent) {
        return switch (e) {
            case LockedException l -> true;
            case TransientException t -> idempotent || !t.mayHaveReachedServer();
            default -> false;
        };
    }

    private Request buildRequest(Call call) {
        HttpUrl.Builder url = apiBase.newBuilder();
        for (String seg : call.template.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.startsWith("{")) {
                // Encode everything but unreserved characters: UPIDs carry ':', '@' and '!'.
                String value = call.pathParams.get(seg.substring(1, seg.length() - 1));
                url.addEncodedPathSegment(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            } else {
                url.addPathSegment(seg);
            }
        }
        Request.Builder rb = new Request.Builder();
        boolean hasBody = call.method.equals("POST") || call.method.equals("PUT");
        if (hasBody) {
            FormBody.Builder form = new FormBody.Builder(StandardCharsets.UTF_8);
            call.params.forEach(form::add);
            rb.method(call.method, form.build());
        } else {
            call.params.forEach(url::addQueryParameter);
            rb.method(call.method, null); // never a body on GET/DELETE: PVE answers 501
        }
        rb.url(url.build());
        rb.header("Accept", "application/json");
        if (call.authenticated) {
            authentication.apply(rb, call.method);
        }
        Map<String, String> reported = new LinkedHashMap<>();
        call.params.forEach((k, v) -> reported.put(k, k.equals("password") ? MASK : v));
        rb.tag(Sent.class, new Sent(call.method, call.template, Collections.unmodifiableMap(new LinkedHashMap<>(call.pathParams)),
                Collections.unmodifiableMap(reported)));
        return rb.build();
    }

    private JsonNode send(Call call, String path, Request request) {
        Cancellation cancellation = Cancellation.current();
        okhttp3.Call httpCall = http.newCall(request);
        // Cancelling the operation aborts the exchange at once (OkHttp closes the socket).
        try (Cancellation.Scope onCancel = cancellation.onCancel(httpCall::cancel);
             Response response = httpCall.execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw ErrorClassifier.classify(call.method, path, response.code(), response.message(), body);
            }
            try {
                JsonNode root = JSON.readTree(body);
                if (root == null || !root.isObject()) {
                    throw new ApiErrorException(call.method, path, response.code(), "response is not a JSON object", null);
                }
                return root;
            } catch (IOException e) {
                throw new ApiErrorException(call.method, path, response.code(), "response is not JSON: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            if (cancellation.isCancelled()) {
                throw new CancelledException(call.method, path, cancellation.reason());
            }
            throw mapIoFailure(call.method, path, e);
        }
    }

    static ProxmoxException mapIoFailure(String method, String path, IOException e) {
        if (hasCause(e, CertificateException.class)) {
            return new ApiErrorException(method, path, 0, "TLS: server certificate not trusted: " + rootMessage(e), e);
        }
        if (e instanceof javax.net.ssl.SSLPeerUnverifiedException) {
            return new ApiErrorException(method, path, 0, "TLS: " + e.getMessage(), e);
        }
        boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException || e instanceof SSLException
                || (e instanceof SocketTimeoutException && String.valueOf(e.getMessage()).toLowerCase().contains("connect"));
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException) && Thread.currentThread().isInterrupted()) {
            return new ApiErrorException(method, path, 0, "interrupted", e);
        }
        return new TransientException(method, path, 0, e.getClass().getSimpleName() + ": " + e.getMessage(), !notSent, e);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
