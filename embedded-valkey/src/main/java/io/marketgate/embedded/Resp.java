package io.marketgate.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Just enough RESP2 to send one command to a local server and read its reply, so that this module needs no
 * client library: the limiter's tests must not depend on the client they are testing.
 */
final class Resp {
    private Resp() {}

    /** An error reply ({@code -ERR …}) of the server. */
    static final class ErrorReply extends RuntimeException {
        ErrorReply(String message) {
            super(message);
        }
    }

    /**
     * How to reach a server: its loopback port, TLS (a socket factory trusting its CA) or not, and the ACL user to
     * authenticate as before the command (none: the default user).
     */
    record Access(int port, SSLSocketFactory tls, String user, String password) {
        static Access plain(int port) {
            return new Access(port, null, null, null);
        }

        Access onPort(int otherPort) {
            return new Access(otherPort, tls, user, password);
        }
    }

    /**
     * Sends {@code args} to {@code 127.0.0.1:port} on a fresh connection and returns the reply: a {@link String}
     * (simple or bulk string), a {@link Long}, a {@link List} of replies, or {@code null}.
     *
     * @throws IOException   when the server cannot be reached or closes the connection
     * @throws ErrorReply    when the server answers with an error
     */
    static Object command(int port, int timeoutMillis, String... args) throws IOException {
        return command(Access.plain(port), timeoutMillis, args);
    }

    /**
     * Sends {@code args} as {@link #command(int, int, String...)} does, through TLS and after {@code AUTH} when
     * {@code access} says so.
     *
     * @throws ErrorReply when the server refuses the user or the command
     */
    static Object command(Access access, int timeoutMillis, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", access.port()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            Socket channel = socket;
            if (access.tls() != null) {
                SSLSocket tls = (SSLSocket) access.tls().createSocket(socket, "127.0.0.1", access.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                channel = tls;
            }
            OutputStream out = channel.getOutputStream();
            BufferedInputStream in = new BufferedInputStream(channel.getInputStream());
            if (access.user() != null) {
                out.write(encode("AUTH", access.user(), access.password()));
                out.flush();
                read(in);
            }
            out.write(encode(args));
            out.flush();
            return read(in);
        }
    }

    static byte[] encode(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        write(buf, "*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            write(buf, "$" + bytes.length + "\r\n");
            buf.writeBytes(bytes);
            write(buf, "\r\n");
        }
        return buf.toByteArray();
    }

    private static void write(ByteArrayOutputStream buf, String s) {
        buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("the server closed the connection without a reply");
        }
        String line = readLine(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len);
                if (data.length < len || in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("truncated bulk reply");
                }
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type byte '" + (char) type + "'");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("the server closed the connection mid-reply");
            }
            line.write(c);
        }
        if (in.read() != '\n') {
            throw new IOException("malformed RESP line");
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
