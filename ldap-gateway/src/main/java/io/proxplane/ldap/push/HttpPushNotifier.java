package io.proxplane.ldap.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Client of the push service's {@code POST /send-notification} (mieweb_auth_app contract): only
 * HTTP 200 with {@code action} exactly {@code "approve"} is success (the seed compared against
 * "APPROVE" and failed every login); 200 "timeout" is a timeout; everything else fails closed.
 */
public final class HttpPushNotifier implements PushNotifier {
    private static final Logger log = LoggerFactory.getLogger(HttpPushNotifier.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String url;
    private final String apiKey;
    private final String internalSecret;
    private final OkHttpClient http;

    /**
     * @param url          full URL of send-notification
     * @param callTimeout  hard bound on one call; the service itself answers "timeout" after 25 s
     */
    public HttpPushNotifier(String url, String apiKey, String internalSecret, Duration callTimeout) {
        this.url = url;
        this.apiKey = apiKey;
        this.internalSecret = internalSecret;
        // A fresh connection for every push: pushes are rare (one per login), and a pooled
        // keep-alive connection the service closed while idle (Node does after 5 s) fails the next
        // login with "unexpected end of stream". Retrying on it instead could send a second push
        // when the service did receive the first, so nothing is retried and nothing is pooled.
        this.http = new OkHttpClient.Builder().callTimeout(callTimeout).readTimeout(callTimeout)
                .connectTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    @Override
    public PushOutcome requestApproval(String username, String clientAddress) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("username", username);
        body.put("title", "SSH Authentication Request");
        body.put("body", "Sign-in as " + username + " from " + clientAddress + ". Approve?");
        var actions = body.putArray("actions");
        actions.addObject().put("icon", "approve").put("title", "Approve").put("callback", "approve");
        actions.addObject().put("icon", "reject").put("title", "Reject").put("callback", "reject");
        if (apiKey != null) body.put("apikey", apiKey);
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body.toString(), JSON));
        if (internalSecret != null) request.header("x-internal-secret", internalSecret);
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            if (response.code() != 200) {
                log.warn("push service answered HTTP {} for {}: {}", response.code(), username, errorCode(text));
                return response.code() == 408 ? PushOutcome.TIMEOUT : PushOutcome.FAILED;
            }
            String action = MAPPER.readTree(text).path("action").asText("");
            return switch (action) {
                case "approve" -> PushOutcome.APPROVED;
                case "reject" -> PushOutcome.REJECTED;
                case "timeout" -> PushOutcome.TIMEOUT;
                default -> {
                    log.warn("push service answered unknown action '{}' for {}", action, username);
                    yield PushOutcome.FAILED;
                }
            };
        } catch (java.io.InterruptedIOException e) {
            return PushOutcome.TIMEOUT;
        } catch (Exception e) {
            log.warn("push service call for {} failed: {}", username, e.toString());
            return PushOutcome.FAILED;
        }
    }

    private static String errorCode(String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            return n.path("errorCode").asText(n.path("error").asText("?"));
        } catch (Exception e) {
            return "unparseable body";
        }
    }
}
