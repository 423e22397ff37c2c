package io.proxplane.core.proxmox;

import java.util.Map;

/**
 * Observes every HTTP request the client sends (retries and ticket logins included), e.g. for
 * metrics or a contract test against the API schema.
 */
@FunctionalInterface
public interface RequestListener {

    /**
     * @param method       {@code GET}, {@code POST}, {@code PUT} or {@code DELETE}
     * @param pathTemplate the path template below /api2/json, e.g. {@code /nodes/{node}/lxc/{vmid}/config}
     * @param pathParameters the values of the template's placeholders (decoded), e.g. {@code node -> pve}
     * @param parameters   the query or form parameters as sent; booleans as 0/1. Values of
     *                     {@code password} are masked as {@code ********}.
     */
    void onRequest(String method, String pathTemplate, Map<String, String> pathParameters,
                   Map<String, String> parameters);
}
