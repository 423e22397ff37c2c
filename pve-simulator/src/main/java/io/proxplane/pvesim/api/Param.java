package io.proxplane.pvesim.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Terse builder for {@link ParamSpec} so that the route tables stay readable. */
public final class Param {
    private final String name;
    private final ParamType type;
    private boolean optional = true;
    private String format;
    private String pattern;
    private List<String> enumValues = List.of();
    private Number minimum;
    private Number maximum;
    private Integer minLength;
    private Integer maxLength;
    private List<ParamSpec> keys = List.of();
    private boolean defaultKey;
    private String requires;

    private Param(String name, ParamType type) {
        this.name = name;
        this.type = type;
    }

    public static Param str(String name) { return new Param(name, ParamType.STRING); }
    public static Param integer(String name) { return new Param(name, ParamType.INTEGER); }
    public static Param bool(String name) { return new Param(name, ParamType.BOOLEAN); }
    public static Param number(String name) { return new Param(name, ParamType.NUMBER); }

    /** The standard vmid parameter (format pve-vmid, 100..999999999). */
    public static Param vmid() { return integer("vmid").format("pve-vmid").min(100).max(999999999); }
    public static Param node() { return str("node").req().format("pve-node"); }

    public Param req() { optional = false; return this; }
    public Param format(String f) { format = f; return this; }
    public Param pattern(String p) { pattern = p; return this; }
    public Param enums(String... values) { enumValues = List.of(values); return this; }
    public Param enums(List<String> values) { enumValues = List.copyOf(values); return this; }
    public Param min(Number n) { minimum = n; return this; }
    public Param max(Number n) { maximum = n; return this; }
    public Param minLen(int n) { minLength = n; return this; }
    public Param maxLen(int n) { maxLength = n; return this; }
    public Param defaultKey() { defaultKey = true; return this; }
    public Param requires(String other) { requires = other; return this; }
    public Param keys(Param... ks) {
        keys = Arrays.stream(ks).map(Param::build).toList();
        return this;
    }
    public Param keys(List<ParamSpec> ks) { keys = List.copyOf(ks); return this; }

    public ParamSpec build() {
        return new ParamSpec(name, type, optional, format, pattern, enumValues, minimum, maximum, minLength,
                maxLength, keys, defaultKey, requires);
    }

    public static List<ParamSpec> all(Object... items) {
        List<ParamSpec> out = new ArrayList<>();
        for (Object o : items) {
            switch (o) {
                case Param p -> out.add(p.build());
                case ParamSpec s -> out.add(s);
                case List<?> l -> l.forEach(x -> out.add(x instanceof Param p ? p.build() : (ParamSpec) x));
                default -> throw new IllegalArgumentException("not a parameter: " + o);
            }
        }
        return out;
    }
}
