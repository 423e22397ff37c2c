package io.proxplane.pvesim.routes;

import io.proxplane.pvesim.auth.Subject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One request on its way through a route: who calls, with which parameters. */
final class Call {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");
    private final Engine engine;
    private final Subject subject;
    private final String method;
    private final String relPath;
    private final Map<String, String> params;

    Call(Engine engine, Subject subject, String method, String relPath, Map<String, String> params) {
        this.engine = engine;
        this.subject = subject;
        this.method = method;
        this.relPath = relPath;
        this.params = params;
    }

    Engine engine() { return engine; }
    Subject subject() { return subject; }
    String method() { return method; }
    String relPath() { return relPath; }
    Map<String, String> params() { return params; }

    String expand(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(params.getOrDefault(m.group(1), "")));
        m.appendTail(sb);
        return sb.toString();
    }

    boolean has(String name) { return params.containsKey(name); }
    String str(String name) { return params.get(name); }
    String str(String name, String def) { return params.getOrDefault(name, def); }
    boolean bool(String name) { return "1".equals(params.get(name)); }
    boolean bool(String name, boolean def) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? def : v.equals("1");
    }
    Integer intOrNull(String name) {
        String v = params.get(name);
        return v == null ? null : Integer.valueOf(v);
    }
    int integer(String name, int def) {
        String v = params.get(name);
        return v == null ? def : Integer.parseInt(v);
    }
    int vmid() { return Integer.parseInt(params.get("vmid")); }
    String node() { return params.get("node"); }
}
