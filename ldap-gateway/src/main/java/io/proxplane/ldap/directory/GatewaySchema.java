package io.proxplane.ldap.directory;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.matchingrules.MatchingRule;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * UnboundID's standard schema plus RFC 2307, ldapPublicKey and memberOf. Resolves attribute
 * descriptions (any case, aliases such as commonName) to one canonical lower-case key and caches the
 * matching rules per attribute type, so filter evaluation does no schema lookups per entry.
 */
public final class GatewaySchema {
    private static volatile GatewaySchema instance;

    private final Schema schema;
    private final Map<String, AttributeInfo> byName = new ConcurrentHashMap<>();

    /** What the evaluator needs to know about one attribute type. */
    public record AttributeInfo(String key, String canonicalName, boolean operational, MatchingRule equality,
                                MatchingRule ordering, MatchingRule substring) {
    }

    private static final AttributeInfo UNKNOWN = new AttributeInfo("", "", false, null, null, null);

    private GatewaySchema(Schema schema) {
        this.schema = schema;
    }

    public static GatewaySchema get() {
        GatewaySchema s = instance;
        if (s == null) {
            synchronized (GatewaySchema.class) {
                if (instance == null) instance = load();
                s = instance;
            }
        }
        return s;
    }

    private static GatewaySchema load() {
        try (InputStream in = GatewaySchema.class.getResourceAsStream("/io/proxplane/ldap/gateway-schema.ldif");
             LDIFReader reader = new LDIFReader(in)) {
            Entry extra = reader.readEntry();
            Schema merged = Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(extra));
            return new GatewaySchema(merged);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the gateway schema: " + e.getMessage(), e);
        }
    }

    public Schema schema() {
        return schema;
    }

    /**
     * Resolves an attribute description (options such as ";binary" are stripped); null for a type
     * the schema does not know, which filters treat as Undefined.
     */
    public AttributeInfo attribute(String description) {
        String name = description;
        int semi = name.indexOf(';');
        if (semi >= 0) name = name.substring(0, semi);
        AttributeInfo info = byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), this::resolve);
        return info == UNKNOWN ? null : info;
    }

    private AttributeInfo resolve(String lowerName) {
        AttributeTypeDefinition def = schema.getAttributeType(lowerName);
        if (def == null) return UNKNOWN;
        String canonical = def.getNameOrOID();
        // RFC 4511: a filter item whose type has no rule of the needed kind is Undefined, so keep nulls.
        MatchingRule eq = effective(def, AttributeTypeDefinition::getEqualityMatchingRule) == null
                ? null : MatchingRule.selectEqualityMatchingRule(canonical, schema);
        MatchingRule ord = effective(def, AttributeTypeDefinition::getOrderingMatchingRule) == null
                ? null : MatchingRule.selectOrderingMatchingRule(canonical, schema);
        MatchingRule sub = effective(def, AttributeTypeDefinition::getSubstringMatchingRule) == null
                ? null : MatchingRule.selectSubstringMatchingRule(canonical, schema);
        return new AttributeInfo(canonical.toLowerCase(Locale.ROOT), canonical, def.isOperational(), eq, ord, sub);
    }

    private String effective(AttributeTypeDefinition def, java.util.function.Function<AttributeTypeDefinition, String> rule) {
        for (AttributeTypeDefinition t = def; t != null; t = t.getSuperiorType(schema)) {
            if (rule.apply(t) != null) return rule.apply(t);
        }
        return null;
    }

    /** Normalises a value for equality, or throws when the value is invalid for the type's syntax. */
    public static com.unboundid.asn1.ASN1OctetString normalize(AttributeInfo info, com.unboundid.asn1.ASN1OctetString value)
            throws LDAPException {
        return info.equality().normalize(value);
    }
}
