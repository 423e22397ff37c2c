package io.proxplane.ldap.server;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.protocol.AbandonRequestProtocolOp;
import com.unboundid.ldap.protocol.AddRequestProtocolOp;
import com.unboundid.ldap.protocol.AddResponseProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.BindResponseProtocolOp;
import com.unboundid.ldap.protocol.CompareRequestProtocolOp;
import com.unboundid.ldap.protocol.CompareResponseProtocolOp;
import com.unboundid.ldap.protocol.DeleteRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteResponseProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyDNResponseProtocolOp;
import com.unboundid.ldap.protocol.ModifyRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyResponseProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.protocol.UnbindRequestProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import io.micrometer.core.instrument.Timer;
import io.proxplane.ldap.auth.Authenticator;
import io.proxplane.ldap.auth.Principal;
import io.proxplane.ldap.directory.DirectorySnapshot;
import io.proxplane.ldap.directory.DirectoryUser;
import io.proxplane.ldap.directory.ServedEntry;
import io.proxplane.ldap.filter.CompiledFilter;
import io.proxplane.ldap.filter.FilterTooComplexException;
import io.proxplane.ldap.filter.Tri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The operations of one client connection. Requests of a connection are handled one at a time on
 * its own thread, so a bind held for a push blocks only that connection.
 */
public final class GatewayRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(GatewayRequestHandler.class);
    private static final String PPOLICY_REQUEST = "1.3.6.1.4.1.42.2.27.8.5.1";
    private static final String MANAGE_DSA_IT = "2.16.840.1.113730.3.4.2";
    /** Controls that change nothing for this directory, so accepting them even when critical is correct. */
    private static final Set<String> HARMLESS_CONTROLS = Set.of(PPOLICY_REQUEST, MANAGE_DSA_IT);
    private static final String READ_ONLY = "the directory is derived from the proxplane registry; change users and groups there";

    private final GatewayContext ctx;
    private final ClientConnection connection;
    private final PagedSearches paged;
    private volatile Principal principal = Principal.ANONYMOUS;

    GatewayRequestHandler(GatewayContext ctx, ClientConnection connection) {
        this.ctx = ctx;
        this.connection = connection;
        this.paged = new PagedSearches(ctx.config().maxPagedPerConnection(), ctx.config().pagedIdleTimeout());
    }

    public void closeInstance() {
        paged.clear();
    }

    public void processAbandonRequest(int messageID, AbandonRequestProtocolOp request, List<Control> controls) {
        // No response by definition; nslcd abandons IDs that already completed, which is harmless.
        paged.abandonMessage(request.getIDToAbandon());
    }

    public void processUnbindRequest(int messageID, UnbindRequestProtocolOp request, List<Control> controls) {
        paged.clear();
    }

    // ---------------------------------------------------------------- bind

    public LDAPMessage processBindRequest(int messageID, BindRequestProtocolOp request, List<Control> controls) {
        String unsupported = unsupportedCriticalControl(controls, Set.of());
        if (unsupported != null) return bindResult(messageID, ResultCode.UNAVAILABLE_CRITICAL_EXTENSION, unsupported);
        // RFC 4513 4: a bind, successful or not, first returns the connection to anonymous.
        principal = Principal.ANONYMOUS;
        if (request.getVersion() != 3) {
            return bindResult(messageID, ResultCode.PROTOCOL_ERROR, "only LDAP version 3 is supported");
        }
        if (request.getCredentialsType() != BindRequestProtocolOp.CRED_TYPE_SIMPLE) {
            return bindResult(messageID, ResultCode.AUTH_METHOD_NOT_SUPPORTED, "only simple binds are supported");
        }
        byte[] password = request.getSimplePassword().getValue();
        if (password.length > 0 && ctx.config().requireTlsForBind() && !isTls()) {
            return bindResult(messageID, ResultCode.CONFIDENTIALITY_REQUIRED, "password binds require TLS (LDAPS or StartTLS)");
        }
        Authenticator.Result result = ctx.authenticator().bind(request.getBindDN(), password, clientAddress(),
                connection.id());
        Arrays.fill(password, (byte) 0);
        return switch (result) {
            case Authenticator.Result.Success s -> {
                principal = s.principal();
                yield bindResult(messageID, ResultCode.SUCCESS, null);
            }
            case Authenticator.Result.Failure f -> bindResult(messageID, f.code(), f.message());
        };
    }

    private static LDAPMessage bindResult(int messageID, ResultCode code, String message) {
        return new LDAPMessage(messageID, new BindResponseProtocolOp(code.intValue(), null, message, null, null));
    }

    // ---------------------------------------------------------------- search

    public LDAPMessage processSearchRequest(int messageID, SearchRequestProtocolOp request, List<Control> controls) {
        Timer.Sample sample = Timer.start(ctx.meters());
        SearchOutcome outcome;
        try {
            outcome = search(messageID, request, controls);
        } catch (LDAPException e) {
            outcome = new SearchOutcome(e.getResultCode(), e.getMatchedDN(), e.getDiagnosticMessage(), List.of(), 0);
        } catch (RuntimeException e) {
            log.error("search failed unexpectedly: {}", request, e);
            outcome = new SearchOutcome(ResultCode.OTHER, null, "internal error", List.of(), 0);
        }
        String tag = outcome.code.getName().replace(' ', '_');
        sample.stop(ctx.meters().timer("ldap.search.duration", "result", tag));
        ctx.meters().counter("ldap.search.entries").increment(outcome.entries);
        return new LDAPMessage(messageID,
                new SearchResultDoneProtocolOp(outcome.code.intValue(), outcome.matchedDn, outcome.message, null),
                outcome.controls);
    }

    private record SearchOutcome(ResultCode code, String matchedDn, String message, List<Control> controls, int entries) {
        static SearchOutcome success(int entries) {
            return new SearchOutcome(ResultCode.SUCCESS, null, null, List.of(), entries);
        }
    }

    private SearchOutcome search(int messageID, SearchRequestProtocolOp request, List<Control> controls) throws LDAPException {
        SimplePagedResultsControl pagedRequest = null;
        for (Control c : controls) {
            if (c.getOID().equals(SpecialEntries.PAGED_RESULTS)) {
                try {
                    pagedRequest = new SimplePagedResultsControl(c.getOID(), c.isCritical(), c.getValue());
                } catch (LDAPException e) {
                    throw new LDAPException(ResultCode.PROTOCOL_ERROR, "malformed paged results control: " + e.getMessage());
                }
            }
        }
        String unsupported = unsupportedCriticalControl(controls, Set.of(SpecialEntries.PAGED_RESULTS));
        if (unsupported != null) throw new LDAPException(ResultCode.UNAVAILABLE_CRITICAL_EXTENSION, unsupported);

        DN base;
        try {
            base = new DN(request.getBaseDN());
        } catch (LDAPException e) {
            throw new LDAPException(ResultCode.INVALID_DN_SYNTAX, "invalid base DN: " + e.getMessage());
        }
        CompiledFilter filter;
        try {
            filter = CompiledFilter.compile(request.getFilter(), ctx.config().filterLimits());
        } catch (FilterTooComplexException e) {
            throw new LDAPException(ResultCode.UNWILLING_TO_PERFORM, e.getMessage());
        }
        AttributeSelection selection = new AttributeSelection(request.getAttributes());
        SearchScope scope = request.getScope();

        if (base.isNullDN() || base.equals(ctx.special().subschemaDn())) {
            ServedEntry special = base.isNullDN() ? ctx.special().rootDse() : ctx.special().subschema();
            if (scope != SearchScope.BASE) {
                if (base.isNullDN()) {
                    throw new LDAPException(ResultCode.NO_SUCH_OBJECT,
                            "the root DSE is searched with scope base; search under " + ctx.snapshots().get().layout().base());
                }
                if (scope == SearchScope.ONE) return withPagedDone(pagedRequest, SearchOutcome.success(0));
            }
            int sent = 0;
            if (filter.evaluate(special) == Tri.TRUE) {
                send(messageID, selection.project(special.entry(), request.typesOnly(), base.isNullDN()));
                sent = 1;
            }
            return withPagedDone(pagedRequest, SearchOutcome.success(sent));
        }

        if (principal.isAnonymous() && !ctx.config().allowAnonymousSearch()) {
            throw new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
                    "anonymous search is disabled; bind first (the root DSE is readable anonymously)");
        }
        long timeLimitNanos = effectiveLimitNanos(request.getTimeLimit());
        long deadline = System.nanoTime() + timeLimitNanos;

        if (pagedRequest != null) return pagedSearch(messageID, request, pagedRequest, base, scope, filter, selection, deadline);

        DirectorySnapshot snapshot = ctx.snapshots().get();
        requireBase(snapshot, base);
        int limit = effectiveSizeLimit(request.getSizeLimit(), ctx.config().sizeLimit());
        int[] count = {0};
        boolean[] overLimit = {false};
        try {
            DirectorySearch.forEachMatch(snapshot, base, scope, filter, deadline, pos -> {
                if (limit > 0 && count[0] >= limit) {
                    overLimit[0] = true;
                    return false;
                }
                ServedEntry e = snapshot.entries().get(pos);
                if (!send(messageID, selection.project(e.entry(), request.typesOnly(), false))) return false;
                count[0]++;
                return true;
            });
        } catch (DirectorySearch.TimeLimitExceeded e) {
            return new SearchOutcome(ResultCode.TIME_LIMIT_EXCEEDED, null, "time limit exceeded", List.of(), count[0]);
        }
        if (overLimit[0]) {
            return new SearchOutcome(ResultCode.SIZE_LIMIT_EXCEEDED, null,
                    "size limit of " + limit + " entries exceeded; use the paged results control", List.of(), count[0]);
        }
        return SearchOutcome.success(count[0]);
    }

    private SearchOutcome pagedSearch(int messageID, SearchRequestProtocolOp request, SimplePagedResultsControl control,
                                      DN base, SearchScope scope, CompiledFilter filter, AttributeSelection selection,
                                      long deadline) throws LDAPException {
        String requestKey = base.toNormalizedString() + '\u0000' + scope.intValue() + '\u0000'
                + request.getFilter().toNormalizedString() + '\u0000' + request.getAttributes();
        ASN1OctetString cookie = control.getCookie();
        PagedSearches.State state;
        if (cookie == null || cookie.getValueLength() == 0) {
            if (control.getSize() == 0) return pagedDone(SearchOutcome.success(0), null);
            DirectorySnapshot snapshot = ctx.snapshots().get();
            requireBase(snapshot, base);
            int[] buffer = new int[64];
            int[] n = {0};
            int clientLimit = request.getSizeLimit();
            try {
                int[][] holder = {buffer};
                DirectorySearch.forEachMatch(snapshot, base, scope, filter, deadline, pos -> {
                    if (n[0] == holder[0].length) holder[0] = Arrays.copyOf(holder[0], holder[0].length * 2);
                    holder[0][n[0]++] = pos;
                    return clientLimit <= 0 || n[0] <= clientLimit;
                });
                buffer = holder[0];
            } catch (DirectorySearch.TimeLimitExceeded e) {
                return new SearchOutcome(ResultCode.TIME_LIMIT_EXCEEDED, null, "time limit exceeded", List.of(), 0);
            }
            state = new PagedSearches.State(requestKey, snapshot, Arrays.copyOf(buffer, n[0]));
        } else {
            state = paged.take(cookie.stringValue(), ctx.clock().instant());
            if (state == null) {
                throw new LDAPException(ResultCode.PROTOCOL_ERROR, "paged results cookie is invalid or expired");
            }
            if (!state.requestKey.equals(requestKey)) {
                throw new LDAPException(ResultCode.PROTOCOL_ERROR,
                        "paged results cookie belongs to a different search (base, scope, filter and attributes must not change)");
            }
            if (control.getSize() == 0) return pagedDone(SearchOutcome.success(0), null); // RFC 2696: abandon
        }
        int clientLimit = request.getSizeLimit();
        int sentNow = 0;
        while (state.next < state.matches.length && sentNow < control.getSize()) {
            if (clientLimit > 0 && state.sent >= clientLimit) {
                return new SearchOutcome(ResultCode.SIZE_LIMIT_EXCEEDED, null, "size limit exceeded",
                        List.of(new SimplePagedResultsControl(0, null, false)), sentNow);
            }
            ServedEntry e = state.snapshot.entries().get(state.matches[state.next++]);
            if (!send(messageID, selection.project(e.entry(), request.typesOnly(), false))) break;
            sentNow++;
            state.sent++;
        }
        if (state.next >= state.matches.length) return pagedDone(SearchOutcome.success(sentNow), null);
        state.lastMessageId = messageID;
        String next = paged.store(state, ctx.clock().instant());
        return pagedDone(SearchOutcome.success(sentNow), next);
    }

    private static SearchOutcome pagedDone(SearchOutcome outcome, String cookie) {
        ASN1OctetString value = cookie == null ? new ASN1OctetString() : new ASN1OctetString(cookie);
        return new SearchOutcome(outcome.code, outcome.matchedDn, outcome.message,
                List.of(new SimplePagedResultsControl(0, value, false)), outcome.entries);
    }

    private static SearchOutcome withPagedDone(SimplePagedResultsControl control, SearchOutcome outcome) {
        return control == null ? outcome : pagedDone(outcome, null);
    }

    /**
     * noSuchObject with the deepest existing ancestor as matchedDN. Entries exist only at the
     * suffix and the two levels under it, so at most three candidate ancestors are looked up,
     * each built once from the RDNs (walking getParent() up a long DN costs quadratic time).
     */
    private void requireBase(DirectorySnapshot snapshot, DN base) throws LDAPException {
        if (snapshot.entry(base) != null) return;
        RDN[] rdns = base.getRDNs();
        int suffix = snapshot.layout().base().getRDNs().length;
        DN matched = null;
        for (int k = Math.min(rdns.length - 1, suffix + 2); k >= suffix && matched == null; k--) {
            DN candidate = new DN(Arrays.copyOfRange(rdns, rdns.length - k, rdns.length));
            if (snapshot.entry(candidate) != null) matched = candidate;
        }
        String matchedDn = matched == null ? null : matched.toString();
        throw new LDAPException(ResultCode.NO_SUCH_OBJECT, "no such entry: " + base, matchedDn, (String[]) null);
    }

    private long effectiveLimitNanos(int clientSeconds) {
        long server = ctx.config().timeLimit().toNanos();
        long client = clientSeconds > 0 ? clientSeconds * 1_000_000_000L : Long.MAX_VALUE;
        return Math.min(server > 0 ? server : Long.MAX_VALUE, client);
    }

    private static int effectiveSizeLimit(int client, int server) {
        if (client <= 0) return server;
        if (server <= 0) return client;
        return Math.min(client, server);
    }

    /** False when the client went away: stop producing entries for it. */
    private boolean send(int messageID, Entry entry) {
        return connection.sendSearchResultEntry(messageID, entry);
    }

    // ---------------------------------------------------------------- compare

    public LDAPMessage processCompareRequest(int messageID, CompareRequestProtocolOp request, List<Control> controls) {
        ResultCode code;
        String message = null;
        try {
            String unsupported = unsupportedCriticalControl(controls, Set.of());
            if (unsupported != null) throw new LDAPException(ResultCode.UNAVAILABLE_CRITICAL_EXTENSION, unsupported);
            if (principal.isAnonymous() && !ctx.config().allowAnonymousSearch())
                throw new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "anonymous compare is disabled; bind first");
            DN dn;
            try {
                dn = new DN(request.getDN());
            } catch (LDAPException e) {
                throw new LDAPException(ResultCode.INVALID_DN_SYNTAX, "invalid DN: " + e.getMessage());
            }
            DirectorySnapshot snapshot = ctx.snapshots().get();
            requireBase(snapshot, dn);
            if (io.proxplane.ldap.directory.GatewaySchema.get().attribute(request.getAttributeName()) == null)
                throw new LDAPException(ResultCode.UNDEFINED_ATTRIBUTE_TYPE, "unknown attribute type " + request.getAttributeName());
            CompiledFilter f = CompiledFilter.compile(
                    Filter.createEqualityFilter(request.getAttributeName(), request.getAssertionValue().getValue()),
                    ctx.config().filterLimits());
            Tri t = f.evaluate(snapshot.entry(dn));
            if (t == Tri.UNDEFINED) throw new LDAPException(ResultCode.INAPPROPRIATE_MATCHING, "value cannot be compared");
            code = t == Tri.TRUE ? ResultCode.COMPARE_TRUE : ResultCode.COMPARE_FALSE;
        } catch (LDAPException e) {
            code = e.getResultCode();
            message = e.getDiagnosticMessage();
        } catch (FilterTooComplexException e) {
            code = ResultCode.UNWILLING_TO_PERFORM;
            message = e.getMessage();
        }
        return new LDAPMessage(messageID, new CompareResponseProtocolOp(code.intValue(), null, message, null));
    }

    // ---------------------------------------------------------------- writes (read-only directory)

    public LDAPMessage processAddRequest(int messageID, AddRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(messageID, new AddResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, READ_ONLY, null));
    }

    public LDAPMessage processDeleteRequest(int messageID, DeleteRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(messageID, new DeleteResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, READ_ONLY, null));
    }

    public LDAPMessage processModifyDNRequest(int messageID, ModifyDNRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(messageID, new ModifyDNResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, READ_ONLY, null));
    }

    /**
     * Only one modification is accepted: a user replacing their own shadowLastChange, which nslcd
     * sends right after Password Modify. The gateway already derives shadowLastChange from the time
     * the password was stored, so the request is satisfied without a write.
     */
    public LDAPMessage processModifyRequest(int messageID, ModifyRequestProtocolOp request, List<Control> controls) {
        ResultCode code = ResultCode.UNWILLING_TO_PERFORM;
        String message = READ_ONLY;
        try {
            DN dn = new DN(request.getDN());
            boolean own = principal.kind() == Principal.Kind.USER && principal.dn().equals(dn);
            boolean onlyShadowLastChange = !request.getModifications().isEmpty();
            for (Modification m : request.getModifications()) {
                if (m.getModificationType() != ModificationType.REPLACE
                        || !m.getAttribute().getBaseName().equalsIgnoreCase("shadowLastChange")) onlyShadowLastChange = false;
            }
            if (onlyShadowLastChange) {
                if (own) {
                    code = ResultCode.SUCCESS;
                    message = null;
                } else {
                    code = ResultCode.INSUFFICIENT_ACCESS_RIGHTS;
                    message = "only the account itself may update its shadowLastChange";
                }
            }
        } catch (LDAPException e) {
            code = ResultCode.INVALID_DN_SYNTAX;
            message = "invalid DN: " + e.getMessage();
        }
        return new LDAPMessage(messageID, new ModifyResponseProtocolOp(code.intValue(), null, message, null));
    }

    // ---------------------------------------------------------------- extended operations

    public LDAPMessage processExtendedRequest(int messageID, ExtendedRequestProtocolOp request, List<Control> controls) {
        String unsupported = unsupportedCriticalControl(controls, Set.of());
        if (unsupported != null) return extended(messageID, ResultCode.UNAVAILABLE_CRITICAL_EXTENSION, unsupported, null, null);
        return switch (request.getOID()) {
            case SpecialEntries.START_TLS -> startTls(messageID);
            case SpecialEntries.WHO_AM_I -> extended(messageID, ResultCode.SUCCESS, null, null,
                    new ASN1OctetString(principal.isAnonymous() ? "" : "dn:" + principal.dn()));
            case SpecialEntries.PASSWORD_MODIFY -> passwordModify(messageID, request, controls);
            default -> extended(messageID, ResultCode.PROTOCOL_ERROR, "unsupported extended operation " + request.getOID(), null, null);
        };
    }

    private static LDAPMessage extended(int messageID, ResultCode code, String message, String oid, ASN1OctetString value) {
        return new LDAPMessage(messageID, new ExtendedResponseProtocolOp(code.intValue(), null, message, null, oid, value));
    }

    private LDAPMessage startTls(int messageID) {
        if (ctx.startTls() == null) {
            return extended(messageID, ResultCode.PROTOCOL_ERROR, "StartTLS is not configured on this gateway", null, null);
        }
        if (isTls()) return extended(messageID, ResultCode.OPERATIONS_ERROR, "TLS is already established", null, null);
        try {
            // The success response goes out in clear text (the connection sends it), then the handshake starts.
            connection.startTls(ctx.startTls(), extended(messageID, ResultCode.SUCCESS, null, SpecialEntries.START_TLS, null));
            ctx.meters().counter("ldap.starttls").increment();
            return null;
        } catch (Exception e) {
            log.warn("StartTLS failed for {}: {}", clientAddress(), e.toString());
            return extended(messageID, ResultCode.OTHER, "StartTLS failed", null, null);
        }
    }

    /**
     * RFC 3062. The caller must be bound as the user whose password changes (userIdentity, when
     * given, must name that user as a DN or "u:uid"). With oldPasswd it is verified too; without it
     * the bind already proved the password (nslcd sends none). The new password is stored as argon2id.
     */
    private LDAPMessage passwordModify(int messageID, ExtendedRequestProtocolOp request, List<Control> controls) {
        ResultCode code;
        String message;
        try {
            PasswordModifyExtendedRequest pm = new PasswordModifyExtendedRequest(
                    request.toExtendedRequest(controls.toArray(new Control[0])));
            if (principal.kind() != Principal.Kind.USER) {
                throw new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "bind as the user whose password changes");
            }
            String identity = pm.getUserIdentity();
            if (identity != null && !identity.isEmpty() && !namesPrincipal(identity)) {
                throw new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "users may change only their own password");
            }
            DirectorySnapshot snapshot = ctx.snapshots().get();
            DirectoryUser user = snapshot.user(principal.name());
            if (user == null || !user.status().mayBind()) {
                throw new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "the account can no longer change its password");
            }
            byte[] oldPassword = pm.getOldPasswordBytes();
            if (oldPassword != null && !ctx.authenticator().passwordMatches(user.uid(), oldPassword)) {
                throw new LDAPException(ResultCode.INVALID_CREDENTIALS, "the old password is wrong");
            }
            byte[] newPassword = pm.getNewPasswordBytes();
            if (newPassword == null) {
                throw new LDAPException(ResultCode.UNWILLING_TO_PERFORM, "newPasswd is required; the gateway does not generate passwords");
            }
            if (new String(newPassword, StandardCharsets.UTF_8).codePointCount(0,
                    new String(newPassword, StandardCharsets.UTF_8).length()) < ctx.config().minPasswordLength()) {
                throw new LDAPException(ResultCode.CONSTRAINT_VIOLATION,
                        "the new password must have at least " + ctx.config().minPasswordLength() + " characters");
            }
            String hash = ctx.authenticator().hashes().hash(newPassword);
            Arrays.fill(newPassword, (byte) 0);
            try {
                ctx.source().updatePassword(user.uid(), hash, ctx.clock().instant());
            } catch (Exception e) {
                log.warn("storing the new password of {} failed: {}", user.uid(), e.toString());
                throw new LDAPException(ResultCode.UNAVAILABLE, "the registry is unavailable; try again later");
            }
            ctx.meters().counter("ldap.password.changes").increment();
            code = ResultCode.SUCCESS;
            message = null;
        } catch (LDAPException e) {
            code = e.getResultCode();
            message = e.getDiagnosticMessage();
        }
        return extended(messageID, code, message, null, null);
    }

    private boolean namesPrincipal(String identity) {
        if (identity.startsWith("u:")) return identity.substring(2).toLowerCase(Locale.ROOT).equals(principal.name());
        String dn = identity.startsWith("dn:") ? identity.substring(3) : identity;
        try {
            return new DN(dn).equals(principal.dn());
        } catch (LDAPException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The OID of the first critical control we do not implement, or null (RFC 4511 4.1.11). */
    private static String unsupportedCriticalControl(List<Control> controls, Set<String> supportedHere) {
        for (Control c : controls) {
            if (c.isCritical() && !supportedHere.contains(c.getOID()) && !HARMLESS_CONTROLS.contains(c.getOID())) {
                return "unsupported critical control " + c.getOID();
            }
        }
        return null;
    }

    private boolean isTls() {
        return connection.isTls();
    }

    private String clientAddress() {
        return connection.clientAddress();
    }
}
