package io.mailwatchdog.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A minimal SMTP server for tests that need replies GreenMail will not give, such as the recorded
 * sink that answered RCPT TO with {@code 550 5.1.1 Mailbox unavailable}. Accepts everything unless a
 * recipient rule says otherwise; keeps the DATA it received.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-smtp");
        t.setDaemon(true);
        return t;
    });
    private volatile Function<String, String> rcptReply = rcpt -> "250 2.1.5 OK";
    public final List<String> messages = new CopyOnWriteArrayList<>();

    public ScriptedSmtpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The reply line to {@code RCPT TO} per recipient address. */
    public void rcptReply(Function<String, String> reply) {
        this.rcptReply = reply;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                threads.execute(() -> converse(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
             OutputStream out = client.getOutputStream()) {
            send(out, "220 scripted ESMTP");
            for (String line; (line = in.readLine()) != null; ) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    send(out, "250-scripted\r\n250-8BITMIME\r\n250 SIZE 10240000");
                } else if (upper.startsWith("HELO") || upper.startsWith("MAIL") || upper.startsWith("RSET")
                        || upper.startsWith("NOOP")) {
                    send(out, "250 2.0.0 OK");
                } else if (upper.startsWith("RCPT")) {
                    String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                    send(out, rcptReply.apply(address));
                } else if (upper.startsWith("DATA")) {
                    send(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder data = new StringBuilder();
                    for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
                        data.append(d).append('\n');
                    }
                    messages.add(data.toString());
                    send(out, "250 2.0.0 queued");
                } else if (upper.startsWith("QUIT")) {
                    send(out, "221 2.0.0 Bye");
                    return;
                } else {
                    send(out, "502 5.5.2 command not recognized");
                }
            }
        } catch (IOException dropped) {
            // the client went away, as Odoo's connection test does in the middle of DATA
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
