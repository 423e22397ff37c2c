package io.proxplane.core.proxmox.model;

import java.util.Map;
import java.util.regex.Pattern;

/** Shared validation and encoding of request parameters (booleans as 0/1). */
final class FormValues {

    static final Pattern DNS_NAME = Pattern.compile(
            "[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)*");
    static final Pattern TAG = Pattern.compile("[a-z0-9_][a-z0-9_\\-+.]*", Pattern.CASE_INSENSITIVE);
    static final Pattern ENV_NAME = Pattern.compile("\\w+");

    private FormValues() {
    }

    static void put(Map<String, String> params, String key, Object value) {
        if (value != null) {
            params.put(key, PropertyStrings.render(value));
        }
    }

    static int vmid(int vmid) {
        if (vmid < 100 || vmid > 999_999_999) {
            throw new IllegalArgumentException("vmid: must be between 100 and 999999999, got " + vmid);
        }
        return vmid;
    }

    static void range(String field, Integer value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(field + ": must be between " + min + " and " + max + ", got " + value);
        }
    }

    static String hostname(String hostname) {
        if (hostname != null && (hostname.length() > 255 || !DNS_NAME.matcher(hostname).matches())) {
            throw new IllegalArgumentException("hostname: not a valid DNS name: '" + hostname + "'");
        }
        return hostname;
    }

    static String tags(java.util.Collection<String> tags) {
        for (String t : tags) {
            if (!TAG.matcher(t).matches()) {
                throw new IllegalArgumentException("tags: '" + t + "' is not a valid tag (letters, digits, '_', '-', '+', '.')");
            }
        }
        return String.join(";", tags);
    }

    /** {@code env} is a NUL-separated list of NAME=value (proxmox-api.md §5.3). */
    static String env(Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> {
            if (!ENV_NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("env: variable name '" + k + "' must consist of letters, digits or '_'");
            }
            if (v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new IllegalArgumentException("env: value of '" + k + "' contains control characters");
            }
            if (!sb.isEmpty()) {
                sb.append('\0');
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }
}
