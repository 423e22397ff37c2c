package io.proxplane.edge;

import io.proxplane.core.model.ValidationException;
import io.proxplane.core.registry.EdgeAgentStatus;

/**
 * An object the edge left out of the configuration it serves, with the reason. The name comes
 * from a registry row, so it is shown escaped ({@link ValidationException#show}) wherever it
 * reaches a log line, a status message or a metric label: a name cannot forge lines.
 */
record Skipped(String kind, String name, String reason) {
    static final String DOMAIN = "external domain";
    static final String SERVICE = "service";
    static final String CONTAINER = "container";
    static final String NODE = "node";

    static Skipped domain(String name, String reason) {
        return new Skipped(DOMAIN, name, reason);
    }

    /** One line: {@code external domain 'a.example' skipped: reason}. */
    String describe() {
        return kind + " " + ValidationException.show(name) + " skipped: " + oneLine(reason);
    }

    EdgeAgentStatus.Skipped toRegistry() {
        return new EdgeAgentStatus.Skipped(kind, name, oneLine(reason));
    }

    /** Reasons quote values through {@link ValidationException#show}; command output may still hold line breaks. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append(" | ");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
