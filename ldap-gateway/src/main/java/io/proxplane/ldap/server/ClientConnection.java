package io.proxplane.ldap.server;

import com.unboundid.asn1.ASN1Buffer;
import com.unboundid.asn1.ASN1Element;
import com.unboundid.ldap.protocol.AddResponseProtocolOp;
import com.unboundid.ldap.protocol.BindResponseProtocolOp;
import com.unboundid.ldap.protocol.CompareResponseProtocolOp;
import com.unboundid.ldap.protocol.DeleteResponseProtocolOp;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNResponseProtocolOp;
import com.unboundid.ldap.protocol.ModifyResponseProtocolOp;
import com.unboundid.ldap.protocol.ProtocolOp;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.protocol.SearchResultEntryProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

/**
 * One client connection, served on its own thread: frames each request with a bounded reader (the
 * outer SEQUENCE's declared length is checked before anything is buffered, and the buffer grows
 * only with bytes that actually arrived), passes it through the {@link RequestGuard}, decodes it
 * with the SDK, and hands it to its {@link GatewayRequestHandler}. Requests of a connection are
 * handled one at a time, so a bind held for a push blocks only that connection.
 */
public final class ClientConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    static final String NOTICE_OF_DISCONNECTION = "1.3.6.1.4.1.1466.20036";

    private final ConnectionRegistry registry;
    private final RequestLimits limits;
    private final RequestGuard guard;
    private final long id;
    private final String address;
    private final GatewayRequestHandler handler;
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    /** System.nanoTime() when the current write started, 0 when not writing (read by the registry's watchdog). */
    private volatile long writingSince;
    private volatile boolean closed;

    ClientConnection(ConnectionRegistry registry, GatewayContext ctx, Socket socket, long id) throws IOException {
        this.registry = registry;
        this.limits = ctx.config().limits();
        this.guard = new RequestGuard(limits, ctx.config().filterLimits());
        this.id = id;
        this.address = socket.getInetAddress().getHostAddress();
        use(socket);
        this.handler = new GatewayRequestHandler(ctx, this);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = new BufferedOutputStream(s.getOutputStream(), 16384);
    }

    public long id() {
        return id;
    }

    public String clientAddress() {
        return address;
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** Why the connection ends: sent to the client as a notice of disconnection when {@code code} is not null. */
    private static final class Disconnect extends Exception {
        final ResultCode code;

        Disconnect(ResultCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                byte[] pdu = readRequest();
                if (pdu == null) return; // the client closed the connection
                if (!serve(pdu)) return;
            }
        } catch (Disconnect d) {
            if (d.code != null) log.info("closing connection {} from {}: {}", id, address, d.getMessage());
            else log.debug("closing connection {} from {}: {}", id, address, d.getMessage());
            disconnect(d.code, d.getMessage());
        } catch (IOException e) {
            if (!closed) log.debug("connection {} from {} failed: {}", id, address, e.toString());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Nothing the guard lets through should get here; if it does, this connection ends, the gateway stays.
            log.error("connection {} from {} ended by an internal error: {}", id, address, e.toString());
            disconnect(ResultCode.OTHER, "internal error");
        } finally {
            handler.closeInstance();
            close();
            registry.closed(this);
        }
    }

    /**
     * One request's bytes: waits up to the idle timeout for its first byte, then the whole request
     * must arrive within the request timeout and fit the size limit (declared length checked first).
     */
    private byte[] readRequest() throws IOException, Disconnect {
        int tag;
        try {
            socket.setSoTimeout(millis(limits.idleTimeout().toNanos()));
            tag = in.read();
        } catch (SocketTimeoutException idle) {
            throw new Disconnect(null, "idle for " + limits.idleTimeout().toSeconds() + " s");
        }
        if (tag < 0) return null;
        long deadline = System.nanoTime() + limits.effectiveRequestTimeout().toNanos();
        if (tag != 0x30) throw new Disconnect(ResultCode.PROTOCOL_ERROR, "not an LDAP message (tag 0x" + Integer.toHexString(tag) + ")");
        int first = readByte(deadline);
        byte[] header = new byte[6];
        header[0] = (byte) tag;
        header[1] = (byte) first;
        int headerLength = 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw new Disconnect(ResultCode.PROTOCOL_ERROR, "indefinite length");
        } else {
            int n = first & 0x7F;
            if (n > 4) throw new Disconnect(ResultCode.PROTOCOL_ERROR, "length of " + n + " bytes");
            length = 0;
            for (int i = 0; i < n; i++) {
                int x = readByte(deadline);
                header[headerLength++] = (byte) x;
                length = (length << 8) | x;
            }
        }
        if (length > limits.maxMessageBytes()) {
            throw new Disconnect(ResultCode.ADMIN_LIMIT_EXCEEDED,
                    "request of " + length + " bytes is over the limit of " + limits.maxMessageBytes() + " bytes");
        }
        int total = headerLength + (int) length;
        // Grow with what arrives, not with what the client announced.
        byte[] pdu = Arrays.copyOf(header, Math.min(total, 16 * 1024));
        int filled = headerLength;
        while (filled < total) {
            if (filled == pdu.length) pdu = Arrays.copyOf(pdu, (int) Math.min(total, (long) pdu.length * 2));
            int n = readInto(pdu, filled, pdu.length - filled, deadline);
            if (n < 0) throw new Disconnect(null, "closed in the middle of a request");
            filled += n;
        }
        return pdu;
    }

    private int readByte(long deadline) throws IOException, Disconnect {
        byte[] one = new byte[1];
        int n = readInto(one, 0, 1, deadline);
        if (n < 0) throw new Disconnect(null, "closed in the middle of a request");
        return one[0] & 0xFF;
    }

    private int readInto(byte[] buffer, int offset, int length, long deadline) throws IOException, Disconnect {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw slow();
        try {
            socket.setSoTimeout(millis(left));
            return in.read(buffer, offset, length);
        } catch (SocketTimeoutException e) {
            throw slow();
        }
    }

    private Disconnect slow() {
        return new Disconnect(ResultCode.PROTOCOL_ERROR, "request not received completely within "
                + limits.effectiveRequestTimeout().toSeconds() + " s");
    }

    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000));
    }

    /** Guards, decodes and serves one request; false when the connection must end (unbind). */
    private boolean serve(byte[] pdu) throws Disconnect {
        RequestGuard.Verdict verdict = guard.inspect(pdu);
        if (verdict instanceof RequestGuard.Verdict.Malformed m) {
            throw new Disconnect(ResultCode.PROTOCOL_ERROR, "malformed request: " + m.reason());
        }
        if (verdict instanceof RequestGuard.Verdict.Refuse r) {
            registry.refused();
            ProtocolOp answer = failure(r.opTag(), r.code(), r.message());
            if (answer != null) send(new LDAPMessage(r.messageId(), answer));
            return true;
        }
        LDAPMessage request;
        try {
            request = LDAPMessage.decode(ASN1Element.decode(pdu));
        } catch (LDAPException | com.unboundid.asn1.ASN1Exception | RuntimeException e) {
            throw new Disconnect(ResultCode.PROTOCOL_ERROR, "undecodable request: " + e.getMessage());
        }
        int messageId = request.getMessageID();
        List<Control> controls = request.getControls();
        byte type = request.getProtocolOpType();
        LDAPMessage response;
        try {
            response = switch (type) {
                case LDAPMessage.PROTOCOL_OP_TYPE_ABANDON_REQUEST -> {
                    handler.processAbandonRequest(messageId, request.getAbandonRequestProtocolOp(), controls);
                    yield null;
                }
                case LDAPMessage.PROTOCOL_OP_TYPE_UNBIND_REQUEST -> {
                    handler.processUnbindRequest(messageId, request.getUnbindRequestProtocolOp(), controls);
                    yield null;
                }
                case LDAPMessage.PROTOCOL_OP_TYPE_BIND_REQUEST ->
                        handler.processBindRequest(messageId, request.getBindRequestProtocolOp(), controls);
                case LDAPMessage.PROTOCOL_OP_TYPE_SEARCH_REQUEST ->
                        handler.processSearchRequest(messageId, request.getSearchRequestProtocolOp(), controls);
                case LDAPMessage.PROTOCOL_OP_TYPE_COMPARE_REQUEST ->
                        handler.processCompareRequest(messageId, request.getCompareRequestProtocolOp(), controls);
                case LDAPMessage.PROTOCOL_OP_TYPE_EXTENDED_REQUEST ->
                        handler.processExtendedRequest(messageId, request.getExtendedRequestProtocolOp(), controls);
                case LDAPMessage.PROTOCOL_OP_TYPE_MODIFY_REQUEST ->
                        handler.processModifyRequest(messageId, request.getModifyRequestProtocolOp(), controls);
                case LDAPMessage.PROTOCOL_OP_TYPE_ADD_REQUEST ->
                        handler.processAddRequest(messageId, request.getAddRequestProtocolOp(), controls);
                case LDAPMessage.PROTOCOL_OP_TYPE_DELETE_REQUEST ->
                        handler.processDeleteRequest(messageId, request.getDeleteRequestProtocolOp(), controls);
                case LDAPMessage.PROTOCOL_OP_TYPE_MODIFY_DN_REQUEST ->
                        handler.processModifyDNRequest(messageId, request.getModifyDNRequestProtocolOp(), controls);
                default -> throw new Disconnect(ResultCode.PROTOCOL_ERROR, "not a request: 0x" + Integer.toHexString(type & 0xFF));
            };
        } catch (RuntimeException e) {
            log.error("request {} on connection {} failed: {}", messageId, id, e.toString(), e);
            ProtocolOp answer = failure(type & 0xFF, ResultCode.OTHER, "internal error");
            response = answer == null ? null : new LDAPMessage(messageId, answer);
        }
        if (type == LDAPMessage.PROTOCOL_OP_TYPE_UNBIND_REQUEST) return false;
        if (response != null && !send(response)) return false;
        return true;
    }

    /** The response type that answers a request type, carrying an error; null for abandon and unbind. */
    private static ProtocolOp failure(int opTag, ResultCode code, String message) {
        int c = code.intValue();
        return switch (opTag) {
            case RequestGuard.BIND -> new BindResponseProtocolOp(c, null, message, null, null);
            case RequestGuard.SEARCH -> new SearchResultDoneProtocolOp(c, null, message, null);
            case RequestGuard.COMPARE -> new CompareResponseProtocolOp(c, null, message, null);
            case RequestGuard.MODIFY -> new ModifyResponseProtocolOp(c, null, message, null);
            case RequestGuard.ADD -> new AddResponseProtocolOp(c, null, message, null);
            case RequestGuard.DELETE -> new DeleteResponseProtocolOp(c, null, message, null);
            case RequestGuard.MODIFY_DN -> new ModifyDNResponseProtocolOp(c, null, message, null);
            case RequestGuard.EXTENDED -> new ExtendedResponseProtocolOp(c, null, message, null, null, null);
            default -> null;
        };
    }

    /** Sends one search result entry; false when the client is gone. */
    public boolean sendSearchResultEntry(int messageId, Entry entry) {
        return send(new LDAPMessage(messageId, new SearchResultEntryProtocolOp(entry)));
    }

    /** Writes and flushes one message; false (and the connection closes) when writing fails. */
    synchronized boolean send(LDAPMessage message) {
        ASN1Buffer buffer = new ASN1Buffer();
        message.writeTo(buffer);
        writingSince = System.nanoTime() | 1;
        try {
            buffer.writeTo(out);
            out.flush();
            return true;
        } catch (IOException e) {
            close();
            return false;
        } finally {
            writingSince = 0;
        }
    }

    /**
     * StartTLS (RFC 4511 4.14): the success response goes out in clear text, then the socket is
     * layered with TLS; the next request is read through TLS with the same limits.
     */
    synchronized void startTls(SSLContext context, LDAPMessage success) throws IOException {
        if (in.available() > 0) throw new IOException("the client sent data after its StartTLS request");
        if (!send(success)) throw new IOException("connection closed before the StartTLS response");
        try {
            Socket plain = socket;
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, address, plain.getPort(), true);
            tls.setUseClientMode(false);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            tls.setSSLParameters(p);
            use(tls);
        } catch (IOException | RuntimeException e) {
            close(); // the client already heard "success": nothing sensible can follow in clear text
            throw e;
        }
    }

    /** Watchdog: true when a write has been blocked longer than the write timeout (the client stopped reading). */
    boolean stuckWriting(long now) {
        long since = writingSince;
        return since != 0 && now - since > limits.writeTimeout().toNanos();
    }

    /** Best effort notice of disconnection, then a close that lets it reach the client. */
    private void disconnect(ResultCode code, String message) {
        if (code != null && !closed) {
            send(new LDAPMessage(0, new ExtendedResponseProtocolOp(code.intValue(), null, message, null,
                    NOTICE_OF_DISCONNECTION, null)));
        }
        lingeringClose();
    }

    /**
     * Closing with unread input makes TCP reset the connection, which can destroy the notice just
     * sent; so stop writing, read and drop a bounded amount for a bounded time, then close.
     */
    private void lingeringClose() {
        Socket s = socket;
        if (closed) return;
        try {
            if (!(s instanceof SSLSocket)) {
                s.shutdownOutput();
                byte[] sink = new byte[8192];
                long left = 64 * 1024;
                long until = System.nanoTime() + 2_000_000_000L;
                for (int n = 0; left > 0 && n >= 0 && System.nanoTime() < until; left -= n) {
                    s.setSoTimeout(millis(until - System.nanoTime()));
                    n = s.getInputStream().read(sink);
                }
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
