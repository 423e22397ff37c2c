package io.proxplane.pvesim.http;

import java.util.List;
import java.util.Map;

/** A decoded HTTP request as the API layer needs it. */
public record HttpExchange(String method, String rawPath, Map<String, List<String>> query,
                           Map<String, String> headers /* lower-case names */, byte[] body, String remoteAddress) {
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
