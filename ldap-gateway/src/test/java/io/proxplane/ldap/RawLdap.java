package io.proxplane.ldap;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.ldap.protocol.LDAPMessage;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw LDAP client for hostile-traffic tests: builds BER by hand (so it can send what no SDK
 * would: 10,000-deep filters, wrong tags, lying lengths) and reads whatever comes back, telling an
 * answer from a notice of disconnection from a closed connection. Every read has a hang guard.
 */
final class RawLdap implements AutoCloseable {
    static final String NOTICE_OF_DISCONNECTION = "1.3.6.1.4.1.1466.20036";
    /** Longest any single read may block: a hang guard, never a verdict on speed. */
    static final int HANG_GUARD_MILLIS = 60_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawLdap(Socket socket) throws IOException {
        use(socket);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(HANG_GUARD_MILLIS);
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    /** Connects from {@code local} (a loopback address of its own, so per-address limits can be told apart). */
    static RawLdap connect(String localAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), HANG_GUARD_MILLIS);
        return new RawLdap(s);
    }

    /** Connects with TLS from the first byte (LDAPS). */
    static RawLdap connectTls(String localAddress, int port, SSLContext tls) throws IOException {
        RawLdap plain = connect(localAddress, port);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain.socket, "127.0.0.1", port, true);
        s.setUseClientMode(true);
        s.startHandshake();
        plain.use(s);
        return plain;
    }

    /** StartTLS: the extended request in clear, a success answer, then the handshake. */
    void startTls(SSLContext tls, int messageId) throws IOException {
        send(message(messageId, tlv(0x77, tlv(0x80, ascii("1.3.6.1.4.1.1466.20037")))));
        Reply r = read();
        if (!(r instanceof Reply.Answer a) || a.message().getExtendedResponseProtocolOp().getResultCode() != 0) {
            throw new IOException("StartTLS refused: " + r);
        }
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        use(s);
    }

    /** Sends bytes; false when the server had already closed the connection (reset or broken pipe). */
    boolean send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    sealed interface Reply {
        record Answer(LDAPMessage message) implements Reply {
            boolean isNoticeOfDisconnection() {
                return message.getProtocolOpType() == LDAPMessage.PROTOCOL_OP_TYPE_EXTENDED_RESPONSE
                        && NOTICE_OF_DISCONNECTION.equals(message.getExtendedResponseProtocolOp().getResponseOID());
            }
        }

        /** EOF or reset: the server closed the connection. */
        record Closed(String how) implements Reply {
        }
    }

    Reply read() throws IOException {
        byte[] pdu;
        try {
            pdu = readPdu();
        } catch (SocketTimeoutException hang) {
            throw new IOException("no answer and no close within the hang guard", hang);
        } catch (SocketException reset) {
            return new Reply.Closed(reset.toString());
        }
        if (pdu == null) return new Reply.Closed("eof");
        try {
            return new Reply.Answer(LDAPMessage.decode(ASN1Element.decode(pdu)));
        } catch (Exception e) {
            throw new IOException("the server sent an undecodable message", e);
        }
    }

    /** One whole BER element from the server, or null at EOF before its first byte. */
    private byte[] readPdu() throws IOException {
        int tag = in.read();
        if (tag < 0) return null;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        int first = readByte();
        b.write(first);
        long len = first;
        if ((first & 0x80) != 0) {
            len = 0;
            for (int i = 0; i < (first & 0x7F); i++) {
                int x = readByte();
                b.write(x);
                len = (len << 8) | x;
            }
        }
        if (len > 64L << 20) throw new IOException("server message of " + len + " bytes");
        byte[] content = in.readNBytes((int) len);
        if (content.length < len) throw new SocketException("eof inside a message");
        b.writeBytes(content);
        return b.toByteArray();
    }

    private int readByte() throws IOException {
        int x = in.read();
        if (x < 0) throw new SocketException("eof inside a message");
        return x;
    }

    /** Reads until the server closes, collecting what it sent before (at most a few messages). */
    List<Reply.Answer> readUntilClosed() throws IOException {
        List<Reply.Answer> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Reply r = read();
            if (r instanceof Reply.Closed) return seen;
            seen.add((Reply.Answer) r);
        }
        throw new IOException("server kept talking: " + seen.subList(0, 3));
    }

    /** Reads responses to one operation until its final result (skipping search entries). */
    LDAPMessage readResult() throws IOException {
        for (int i = 0; i < 100_000; i++) {
            Reply r = read();
            if (r instanceof Reply.Closed c) throw new IOException("connection closed instead of an answer: " + c.how());
            LDAPMessage m = ((Reply.Answer) r).message();
            if (m.getProtocolOpType() != LDAPMessage.PROTOCOL_OP_TYPE_SEARCH_RESULT_ENTRY
                    && m.getProtocolOpType() != LDAPMessage.PROTOCOL_OP_TYPE_SEARCH_RESULT_REFERENCE) return m;
        }
        throw new IOException("no final result");
    }

    static int resultCode(LDAPMessage m) {
        return switch (m.getProtocolOpType()) {
            case LDAPMessage.PROTOCOL_OP_TYPE_SEARCH_RESULT_DONE -> m.getSearchResultDoneProtocolOp().getResultCode();
            case LDAPMessage.PROTOCOL_OP_TYPE_BIND_RESPONSE -> m.getBindResponseProtocolOp().getResultCode();
            case LDAPMessage.PROTOCOL_OP_TYPE_COMPARE_RESPONSE -> m.getCompareResponseProtocolOp().getResultCode();
            case LDAPMessage.PROTOCOL_OP_TYPE_EXTENDED_RESPONSE -> m.getExtendedResponseProtocolOp().getResultCode();
            case LDAPMessage.PROTOCOL_OP_TYPE_MODIFY_RESPONSE -> m.getModifyResponseProtocolOp().getResultCode();
            case LDAPMessage.PROTOCOL_OP_TYPE_DELETE_RESPONSE -> m.getDeleteResponseProtocolOp().getResultCode();
            default -> throw new IllegalArgumentException("not a result: " + m);
        };
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------ BER building

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] length(long n) {
        if (n < 0x80) return new byte[] {(byte) n};
        int bytes = 0;
        for (long v = n; v > 0; v >>= 8) bytes++;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = bytes; i >= 1; i--, n >>= 8) out[i] = (byte) n;
        return out;
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) content.writeBytes(p);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        b.writeBytes(length(content.size()));
        b.writeBytes(content.toByteArray());
        return b.toByteArray();
    }

    /** A tag and a length only: the header of an element whose content the caller sends (or never sends). */
    static byte[] header(int tag, long declaredLength) {
        byte[] len = length(declaredLength);
        byte[] out = new byte[1 + len.length];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    static byte[] integer(int v) {
        if (v >= 0 && v < 0x80) return tlv(0x02, new byte[] {(byte) v});
        return tlv(0x02, new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
    }

    static byte[] octets(String s) {
        return tlv(0x04, ascii(s));
    }

    static byte[] message(int id, byte[] op) {
        return tlv(0x30, integer(id), op);
    }

    static byte[] simpleBind(int id, String dn, byte[] password) {
        return message(id, tlv(0x60, integer(3), octets(dn), tlv(0x80, password)));
    }

    /** SearchRequest, scope sub, no limits, attributes "1.1". */
    static byte[] search(int id, String base, byte[] filter) {
        return search(id, ascii(base), filter);
    }

    static byte[] search(int id, byte[] base, byte[] filter) {
        return message(id, tlv(0x63, tlv(0x04, base), tlv(0x0A, new byte[] {2}), tlv(0x0A, new byte[] {0}),
                integer(0), integer(0), tlv(0x01, new byte[] {0}), filter, tlv(0x30, octets("1.1"))));
    }

    static byte[] rootDseSearch(int id) {
        return message(id, tlv(0x63, octets(""), tlv(0x0A, new byte[] {0}), tlv(0x0A, new byte[] {0}),
                integer(0), integer(0), tlv(0x01, new byte[] {0}), present("objectClass"), tlv(0x30)));
    }

    static byte[] equality(String attribute, String value) {
        return tlv(0xA3, octets(attribute), octets(value));
    }

    static byte[] present(String attribute) {
        return tlv(0x87, ascii(attribute));
    }

    /** (attribute=*any*any*...) with {@code pieces} "any" components. */
    static byte[] substrings(String attribute, int pieces, String piece) {
        ByteArrayOutputStream any = new ByteArrayOutputStream();
        byte[] one = tlv(0x81, ascii(piece));
        for (int i = 0; i < pieces; i++) any.writeBytes(one);
        return tlv(0xA4, octets(attribute), tlv(0x30, any.toByteArray()));
    }

    static byte[] or(List<byte[]> filters) {
        return tlv(0xA1, filters.toArray(new byte[0][]));
    }

    /** {@code depth} NOTs around (uid=x), built without recursion (headers from the inside out). */
    static byte[] nestedNot(int depth) {
        byte[] inner = equality("uid", "x");
        byte[][] headers = new byte[depth][];
        long len = inner.length;
        for (int i = depth - 1; i >= 0; i--) {
            headers[i] = header(0xA2, len);
            len += headers[i].length;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream((int) len);
        for (byte[] h : headers) b.writeBytes(h);
        b.writeBytes(inner);
        return b.toByteArray();
    }
}
