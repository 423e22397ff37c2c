package io.proxplane.ldap.server;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import io.proxplane.ldap.directory.GatewaySchema;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The attributes a search asked for (RFC 4511 4.5.1.8): an empty list or "*" means all user
 * attributes, "+" all operational ones, "1.1" none, and names select themselves (any case, aliases
 * through the schema). userPassword is never returned: the gateway does not hold it in entries.
 */
final class AttributeSelection {
    private final boolean allUser;
    private final boolean allOperational;
    private final Set<String> named = new HashSet<>();

    AttributeSelection(List<String> requested) {
        boolean star = requested.isEmpty();
        boolean plus = false;
        GatewaySchema schema = GatewaySchema.get();
        for (String r : requested) {
            switch (r) {
                case "*" -> star = true;
                case "+" -> plus = true;
                case "1.1" -> {
                }
                default -> {
                    GatewaySchema.AttributeInfo info = schema.attribute(r);
                    named.add(info != null ? info.key() : r.toLowerCase(Locale.ROOT));
                }
            }
        }
        this.allUser = star;
        this.allOperational = plus;
    }

    /** The entry as returned; {@code dsaSpecific} treats every attribute as a user attribute (RootDSE). */
    Entry project(Entry source, boolean typesOnly, boolean dsaSpecific) {
        Entry out = new Entry(source.getDN());
        GatewaySchema schema = GatewaySchema.get();
        for (Attribute a : source.getAttributes()) {
            GatewaySchema.AttributeInfo info = schema.attribute(a.getName());
            String key = info != null ? info.key() : a.getBaseName().toLowerCase(Locale.ROOT);
            boolean operational = !dsaSpecific && info != null && info.operational();
            if (!(operational ? allOperational : allUser) && !named.contains(key)) continue;
            out.addAttribute(typesOnly ? new Attribute(a.getName()) : a);
        }
        return out;
    }
}
