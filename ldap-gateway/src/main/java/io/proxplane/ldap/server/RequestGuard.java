package io.proxplane.ldap.server;

import com.unboundid.ldap.sdk.ResultCode;
import io.proxplane.ldap.filter.CompiledFilter;

import java.util.Arrays;

/**
 * Inspects one framed request (its raw BER, already bounded in size) before anything decodes it,
 * with loops and a recursion bounded by the filter depth limit: every length must be consistent
 * (else the request is malformed and the connection is closed), and the costly shapes, deep or
 * wide filters (substring pieces included), long DNs and DNs of many RDNs, huge passwords, are
 * refused with a result code instead of being decoded. The SDK's decoder recurses once per
 * filter level and its DN code walks parents, so what passes here is cheap for it.
 */
final class RequestGuard {
    /** The request is fine to decode. */
    static final Verdict ACCEPT = new Verdict.Accept();

    sealed interface Verdict {
        record Accept() implements Verdict {
        }

        /** Answer the operation with this code; the connection stays open. */
        record Refuse(int messageId, int opTag, ResultCode code, String message) implements Verdict {
        }

        /** Not LDAP: notice of disconnection (protocolError) and close. */
        record Malformed(String reason) implements Verdict {
        }
    }

    static final int BIND = 0x60, UNBIND = 0x42, SEARCH = 0x63, MODIFY = 0x66, ADD = 0x68, DELETE = 0x4A,
            MODIFY_DN = 0x6C, COMPARE = 0x6E, ABANDON = 0x50, EXTENDED = 0x77;

    private final RequestLimits limits;
    private final CompiledFilter.Limits filterLimits;

    RequestGuard(RequestLimits limits, CompiledFilter.Limits filterLimits) {
        this.limits = limits;
        this.filterLimits = filterLimits;
    }

    /** One element: tag, where its content starts and ends (exclusive). */
    private record Tlv(int tag, int start, int end) {
        boolean constructed() {
            return (tag & 0x20) != 0;
        }
    }

    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads the element header at {@code pos}, which must lie within {@code [pos, limit)}. */
    private static Tlv header(byte[] b, int pos, int limit) throws Malformed {
        if (pos >= limit) throw new Malformed("element expected at offset " + pos);
        int tag = b[pos] & 0xFF;
        if ((tag & 0x1F) == 0x1F) throw new Malformed("multi-byte tags are not LDAP");
        if (pos + 1 >= limit) throw new Malformed("element without a length at offset " + pos);
        int first = b[pos + 1] & 0xFF;
        int p = pos + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw new Malformed("indefinite lengths are not allowed in LDAP");
        } else {
            int n = first & 0x7F;
            if (n > 4) throw new Malformed("length of " + n + " bytes");
            if (p + n > limit) throw new Malformed("truncated length at offset " + pos);
            length = 0;
            for (int i = 0; i < n; i++) length = (length << 8) | (b[p++] & 0xFF);
        }
        if (length > limit - p) throw new Malformed("element at offset " + pos + " claims " + length + " bytes, only "
                + (limit - p) + " follow");
        return new Tlv(tag, p, p + (int) length);
    }

    /** Every nested length fits its parent; iterative, so nesting depth costs no stack. */
    private static void checkStructure(byte[] b, Tlv root) throws Malformed {
        int[] ends = new int[16];
        int depth = 0;
        ends[0] = root.end();
        int pos = root.start();
        while (true) {
            while (depth >= 0 && pos == ends[depth]) depth--;
            if (depth < 0) return;
            Tlv t = header(b, pos, ends[depth]);
            if (t.constructed()) {
                if (++depth == ends.length) ends = Arrays.copyOf(ends, ends.length * 2);
                ends[depth] = t.end();
                pos = t.start();
            } else {
                pos = t.end();
            }
        }
    }

    Verdict inspect(byte[] pdu) {
        int messageId = -1;
        int op = -1;
        try {
            Tlv message = header(pdu, 0, pdu.length);
            if (message.tag() != 0x30) throw new Malformed("an LDAP message is a SEQUENCE");
            if (message.end() != pdu.length) throw new Malformed("bytes after the message");
            checkStructure(pdu, message);
            Tlv id = header(pdu, message.start(), message.end());
            if (id.tag() != 0x02 || id.end() - id.start() < 1 || id.end() - id.start() > 4 || (pdu[id.start()] & 0x80) != 0) {
                throw new Malformed("message ID must be an INTEGER from 0 to 2147483647");
            }
            messageId = 0;
            for (int i = id.start(); i < id.end(); i++) messageId = (messageId << 8) | (pdu[i] & 0xFF);
            Tlv request = header(pdu, id.end(), message.end());
            op = request.tag();
            if (request.end() < message.end()) {
                Tlv controls = header(pdu, request.end(), message.end());
                if (controls.tag() != 0xA0 || controls.end() != message.end()) throw new Malformed("unexpected element after the operation");
            }
            String refusal = switch (op) {
                case BIND -> bind(pdu, request);
                case SEARCH -> search(pdu, request);
                case COMPARE, MODIFY, ADD -> dn(pdu, child(pdu, request, 0, 0x04));
                case DELETE -> dn(pdu, request);
                case MODIFY_DN -> modifyDn(pdu, request);
                case UNBIND, ABANDON, EXTENDED -> null;
                default -> throw new Malformed("0x" + Integer.toHexString(op) + " is not an LDAP request");
            };
            return refusal == null ? ACCEPT : new Verdict.Refuse(messageId, op, ResultCode.UNWILLING_TO_PERFORM, refusal);
        } catch (Malformed e) {
            return new Verdict.Malformed(e.getMessage());
        }
    }

    /** The {@code index}-th child of a constructed element, which must carry {@code tag} (or any tag when -1). */
    private static Tlv child(byte[] b, Tlv parent, int index, int tag) throws Malformed {
        if (!parent.constructed()) throw new Malformed("0x" + Integer.toHexString(parent.tag()) + " must be constructed");
        int pos = parent.start();
        for (int i = 0; ; i++) {
            Tlv t = header(b, pos, parent.end());
            if (i == index) {
                if (tag >= 0 && t.tag() != tag) {
                    throw new Malformed("element " + index + " of 0x" + Integer.toHexString(parent.tag()) + " has tag 0x"
                            + Integer.toHexString(t.tag()));
                }
                return t;
            }
            pos = t.end();
        }
    }

    private String bind(byte[] b, Tlv request) throws Malformed {
        String dn = dn(b, child(b, request, 1, 0x04));
        if (dn != null) return dn;
        Tlv auth = child(b, request, 2, -1);
        if (auth.tag() == 0x80 && auth.end() - auth.start() > limits.maxPasswordBytes()) {
            return "password longer than " + limits.maxPasswordBytes() + " bytes";
        }
        return null;
    }

    private String search(byte[] b, Tlv request) throws Malformed {
        String dn = dn(b, child(b, request, 0, 0x04));
        if (dn != null) return dn;
        int[] components = {0};
        return filter(b, child(b, request, 6, -1), 1, components);
    }

    private String modifyDn(byte[] b, Tlv request) throws Malformed {
        String refusal = dn(b, child(b, request, 0, 0x04));
        if (refusal == null) refusal = dn(b, child(b, request, 1, 0x04));
        return refusal;
    }

    /**
     * RFC 4511 filter: depth as the filter compiler counts it (the top filter is level 1) and
     * components counted like it, plus every substring piece, which costs a scan of its own.
     */
    private String filter(byte[] b, Tlv f, int depth, int[] components) throws Malformed {
        if (depth > filterLimits.maxDepth()) return "filter nesting deeper than " + filterLimits.maxDepth() + " levels";
        if (++components[0] > filterLimits.maxComponents()) return tooMany();
        switch (f.tag()) {
            case 0xA0, 0xA1, 0xA2 -> { // and, or, not
                int n = 0;
                for (int pos = f.start(); pos < f.end(); n++) {
                    Tlv c = header(b, pos, f.end());
                    String refusal = filter(b, c, depth + 1, components);
                    if (refusal != null) return refusal;
                    pos = c.end();
                }
                if (f.tag() == 0xA2 && n != 1) throw new Malformed("a NOT filter has exactly one component");
                return null;
            }
            case 0xA4 -> { // substrings: type, SEQUENCE OF initial/any/final
                Tlv pieces = child(b, f, 1, 0x30);
                for (int pos = pieces.start(); pos < pieces.end(); ) {
                    Tlv p = header(b, pos, pieces.end());
                    if (++components[0] > filterLimits.maxComponents()) return tooMany();
                    pos = p.end();
                }
                return null;
            }
            case 0xA3, 0xA5, 0xA6, 0xA8, 0x87, 0xA9 -> {
                return null; // equality, >=, <=, approx, present, extensible
            }
            default -> throw new Malformed("0x" + Integer.toHexString(f.tag()) + " is not a filter");
        }
    }

    private String tooMany() {
        return "filter has more than " + filterLimits.maxComponents() + " components (substring pieces included)";
    }

    /** Length and RDN count of an LDAPDN, counted without parsing it: separators outside escapes and quotes. */
    private String dn(byte[] b, Tlv value) {
        int length = value.end() - value.start();
        if (length > limits.maxDnBytes()) return "DN longer than " + limits.maxDnBytes() + " bytes";
        int rdns = length == 0 ? 0 : 1;
        boolean quoted = false;
        for (int i = value.start(); i < value.end(); i++) {
            byte c = b[i];
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ',' || c == ';') && ++rdns > limits.maxRdns()) {
                return "DN has more than " + limits.maxRdns() + " RDNs";
            }
        }
        return null;
    }
}
