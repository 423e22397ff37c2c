package io.proxplane.ldap.filter;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.matchingrules.MatchingRule;
import io.proxplane.ldap.directory.DirectorySnapshot;
import io.proxplane.ldap.directory.GatewaySchema;
import io.proxplane.ldap.directory.GatewaySchema.AttributeInfo;
import io.proxplane.ldap.directory.ServedEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * An RFC 4515 filter compiled once per search: attribute types resolved through the schema,
 * assertion values normalised with each type's matching rule, evaluated with three-valued logic.
 * Unknown attribute types (sudoHost, ipHostNumber, krb*) and assertion values invalid for the
 * syntax are Undefined, which never matches and is never an error.
 */
public sealed interface CompiledFilter {

    Tri evaluate(ServedEntry entry);

    /**
     * Entry positions that can possibly match, from the snapshot's equality indexes, in ascending
     * order; null when no index narrows the search (the caller then scans every entry).
     */
    int[] candidates(DirectorySnapshot snapshot);

    /** Limits that keep hostile filters from costing more than a normal search. */
    record Limits(int maxDepth, int maxComponents) {
        public static final Limits DEFAULT = new Limits(32, 1024);
    }

    static CompiledFilter compile(Filter filter, Limits limits) throws FilterTooComplexException {
        int[] count = {0};
        return compile(filter, limits, 1, count, GatewaySchema.get());
    }

    private static CompiledFilter compile(Filter f, Limits limits, int depth, int[] count, GatewaySchema schema)
            throws FilterTooComplexException {
        if (depth > limits.maxDepth())
            throw new FilterTooComplexException("filter nesting deeper than " + limits.maxDepth() + " levels");
        if (++count[0] > limits.maxComponents())
            throw new FilterTooComplexException("filter has more than " + limits.maxComponents() + " components");
        switch (f.getFilterType()) {
            case Filter.FILTER_TYPE_AND, Filter.FILTER_TYPE_OR -> {
                List<CompiledFilter> parts = new ArrayList<>();
                for (Filter c : f.getComponents()) parts.add(compile(c, limits, depth + 1, count, schema));
                return f.getFilterType() == Filter.FILTER_TYPE_AND ? new And(parts) : new Or(parts);
            }
            case Filter.FILTER_TYPE_NOT -> {
                return new Not(compile(f.getNOTComponent(), limits, depth + 1, count, schema));
            }
            case Filter.FILTER_TYPE_PRESENCE -> {
                AttributeInfo info = schema.attribute(f.getAttributeName());
                return info == null ? Constant.UNDEFINED : new Present(info.key());
            }
            case Filter.FILTER_TYPE_EQUALITY, Filter.FILTER_TYPE_APPROXIMATE_MATCH -> {
                // Approximate match has no sound definition for these syntaxes; like many servers we use equality.
                AttributeInfo info = schema.attribute(f.getAttributeName());
                if (info == null || info.equality() == null) return Constant.UNDEFINED;
                try {
                    return new Equals(info.key(), info.equality().normalize(f.getRawAssertionValue()));
                } catch (LDAPException invalidForSyntax) {
                    return Constant.UNDEFINED;
                }
            }
            case Filter.FILTER_TYPE_SUBSTRING -> {
                // Each piece is a scan of its own over every value: count them like components.
                count[0] += f.getRawSubAnyValues().length + (f.getRawSubInitialValue() == null ? 0 : 1)
                        + (f.getRawSubFinalValue() == null ? 0 : 1);
                if (count[0] > limits.maxComponents())
                    throw new FilterTooComplexException("filter has more than " + limits.maxComponents()
                            + " components (substring pieces included)");
                AttributeInfo info = schema.attribute(f.getAttributeName());
                if (info == null || info.substring() == null) return Constant.UNDEFINED;
                return new Substring(info, f.getRawSubInitialValue(), f.getRawSubAnyValues(), f.getRawSubFinalValue());
            }
            case Filter.FILTER_TYPE_GREATER_OR_EQUAL, Filter.FILTER_TYPE_LESS_OR_EQUAL -> {
                AttributeInfo info = schema.attribute(f.getAttributeName());
                if (info == null || info.ordering() == null) return Constant.UNDEFINED;
                return new Ordering(info, f.getRawAssertionValue(), f.getFilterType() == Filter.FILTER_TYPE_GREATER_OR_EQUAL);
            }
            case Filter.FILTER_TYPE_EXTENSIBLE_MATCH -> {
                return Extensible.compile(f, schema);
            }
            default -> {
                return Constant.UNDEFINED;
            }
        }
    }

    record Constant(Tri value) implements CompiledFilter {
        static final Constant UNDEFINED = new Constant(Tri.UNDEFINED);

        public Tri evaluate(ServedEntry entry) {
            return value;
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            return value == Tri.TRUE ? null : new int[0];
        }
    }

    record And(List<CompiledFilter> parts) implements CompiledFilter {
        public Tri evaluate(ServedEntry entry) {
            Tri result = Tri.TRUE;
            for (CompiledFilter p : parts) {
                Tri t = p.evaluate(entry);
                if (t == Tri.FALSE) return Tri.FALSE;
                if (t == Tri.UNDEFINED) result = Tri.UNDEFINED;
            }
            return result;
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            int[] best = null;
            for (CompiledFilter p : parts) {
                int[] c = p.candidates(snapshot);
                if (c != null && (best == null || c.length < best.length)) best = c;
            }
            return best;
        }
    }

    record Or(List<CompiledFilter> parts) implements CompiledFilter {
        public Tri evaluate(ServedEntry entry) {
            Tri result = Tri.FALSE;
            for (CompiledFilter p : parts) {
                Tri t = p.evaluate(entry);
                if (t == Tri.TRUE) return Tri.TRUE;
                if (t == Tri.UNDEFINED) result = Tri.UNDEFINED;
            }
            return result;
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            int[] union = new int[0];
            for (CompiledFilter p : parts) {
                int[] c = p.candidates(snapshot);
                if (c == null) return null;
                union = merge(union, c);
            }
            return union;
        }

        private static int[] merge(int[] a, int[] b) {
            int[] out = new int[a.length + b.length];
            int i = 0, j = 0, n = 0;
            while (i < a.length || j < b.length) {
                int next;
                if (j >= b.length || (i < a.length && a[i] < b[j])) next = a[i++];
                else if (i >= a.length || b[j] < a[i]) next = b[j++];
                else { next = a[i++]; j++; }
                out[n++] = next;
            }
            return Arrays.copyOf(out, n);
        }
    }

    record Not(CompiledFilter part) implements CompiledFilter {
        public Tri evaluate(ServedEntry entry) {
            return part.evaluate(entry).not();
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            return null;
        }
    }

    record Present(String key) implements CompiledFilter {
        public Tri evaluate(ServedEntry entry) {
            if (entry.normalized().containsKey(key)) return Tri.TRUE;
            // Types without an equality rule are not in the normalised map; look at the entry itself.
            return entry.entry().hasAttribute(key) ? Tri.TRUE : Tri.FALSE;
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            return null;
        }
    }

    record Equals(String key, ASN1OctetString normalized) implements CompiledFilter {
        public Tri evaluate(ServedEntry entry) {
            Set<ASN1OctetString> values = entry.normalized().get(key);
            return values != null && values.contains(normalized) ? Tri.TRUE : Tri.FALSE;
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            return snapshot.lookup(key, normalized);
        }
    }

    record Substring(AttributeInfo info, ASN1OctetString initial, ASN1OctetString[] any, ASN1OctetString fin)
            implements CompiledFilter {
        public Tri evaluate(ServedEntry entry) {
            Attribute a = entry.entry().getAttribute(info.canonicalName());
            if (a == null) return Tri.FALSE;
            Tri result = Tri.FALSE;
            for (ASN1OctetString v : a.getRawValues()) {
                try {
                    if (info.substring().matchesSubstring(v, initial, any, fin)) return Tri.TRUE;
                } catch (LDAPException e) {
                    result = Tri.UNDEFINED;
                }
            }
            return result;
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            return null;
        }
    }

    record Ordering(AttributeInfo info, ASN1OctetString assertion, boolean greaterOrEqual) implements CompiledFilter {
        public Tri evaluate(ServedEntry entry) {
            Attribute a = entry.entry().getAttribute(info.canonicalName());
            if (a == null) return Tri.FALSE;
            Tri result = Tri.FALSE;
            for (ASN1OctetString v : a.getRawValues()) {
                try {
                    int cmp = info.ordering().compareValues(v, assertion);
                    if (greaterOrEqual ? cmp >= 0 : cmp <= 0) return Tri.TRUE;
                } catch (LDAPException e) {
                    result = Tri.UNDEFINED;
                }
            }
            return result;
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            return null;
        }
    }

    /**
     * Extensible match (RFC 4515 §3 ":dn:" and ":rule:"): the named matching rule, else the type's
     * equality rule, applied to the attribute's values and, with dnAttributes, the entry's RDN values.
     */
    record Extensible(AttributeInfo info, MatchingRule rule, ASN1OctetString assertion, boolean dnAttributes)
            implements CompiledFilter {
        static CompiledFilter compile(Filter f, GatewaySchema schema) {
            AttributeInfo info = f.getAttributeName() == null ? null : schema.attribute(f.getAttributeName());
            if (f.getAttributeName() != null && info == null) return Constant.UNDEFINED;
            MatchingRule rule;
            if (f.getMatchingRuleID() != null) {
                if (schema.schema().getMatchingRule(f.getMatchingRuleID()) == null) return Constant.UNDEFINED;
                rule = MatchingRule.selectEqualityMatchingRule(f.getMatchingRuleID());
            } else if (info != null && info.equality() != null) {
                rule = info.equality();
            } else {
                return Constant.UNDEFINED;
            }
            return new Extensible(info, rule, f.getRawAssertionValue(), f.getDNAttributes());
        }

        public Tri evaluate(ServedEntry entry) {
            boolean undefined = false;
            List<Attribute> attrs = info != null
                    ? (entry.entry().getAttribute(info.canonicalName()) == null ? List.of()
                        : List.of(entry.entry().getAttribute(info.canonicalName())))
                    : new ArrayList<>(entry.entry().getAttributes());
            for (Attribute a : attrs) {
                for (ASN1OctetString v : a.getRawValues()) {
                    try {
                        if (rule.valuesMatch(v, assertion)) return Tri.TRUE;
                    } catch (LDAPException e) {
                        undefined = true;
                    }
                }
            }
            if (dnAttributes) {
                for (RDN rdn : dnComponents(entry.dn())) {
                    for (int i = 0; i < rdn.getAttributeNames().length; i++) {
                        if (info != null && !info.canonicalName().equalsIgnoreCase(rdn.getAttributeNames()[i])) continue;
                        try {
                            if (rule.valuesMatch(rdn.getByteArrayAttributeValues()[i].length == 0
                                    ? new ASN1OctetString() : new ASN1OctetString(rdn.getByteArrayAttributeValues()[i]), assertion))
                                return Tri.TRUE;
                        } catch (LDAPException e) {
                            undefined = true;
                        }
                    }
                }
            }
            return undefined ? Tri.UNDEFINED : Tri.FALSE;
        }

        private static RDN[] dnComponents(DN dn) {
            return dn.getRDNs();
        }

        public int[] candidates(DirectorySnapshot snapshot) {
            return null;
        }
    }
}
