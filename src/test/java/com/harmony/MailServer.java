package com.harmony;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) for the test run; tests read what the service actually sent. */
public class MailServer implements QuarkusTestResourceLifecycleManager {

    private static volatile GreenMail greenMail;
    private static int port;

    @Override
    public Map<String, String> start() {
        port = freePort();
        up();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(port),
                "quarkus.mailer.start-tls", "DISABLED", "quarkus.mailer.mock", "false");
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    /** The mail server goes away: connections to its port are refused. What it received so far is forgotten. */
    public static synchronized void down() {
        greenMail.stop();
    }

    /** A mail server answers on the port again (a fresh one: it has received nothing yet). */
    public static synchronized void up() {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        greenMail = server;
    }

    /** The body of the newest message to that address that carries a link (token=…), waiting up to 10 s for it. */
    public static String linkMessageTo(String address) {
        return newestTo(address, body -> body.contains("token="));
    }

    /** The body of the newest message to that address whose subject contains the text, waiting up to 10 s for it. */
    public static String messageTo(String address, String subjectContains) {
        return newestTo(address, subjectContains, body -> true);
    }

    private static String newestTo(String address, java.util.function.Predicate<String> bodyMatches) {
        return newestTo(address, "", bodyMatches);
    }

    private static String newestTo(String address, String subjectContains, java.util.function.Predicate<String> bodyMatches) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String found = null;
            for (MimeMessage m : greenMail.getReceivedMessages()) {
                try {
                    boolean mine = Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address));
                    String body = m.getContent().toString();
                    if (mine && m.getSubject() != null && m.getSubject().contains(subjectContains) && bodyMatches.test(body)) {
                        found = body;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            if (found != null) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no such email reached " + address);
    }

    /** The newest whole message (headers too) to that address whose subject contains the text, waiting up to 10 s for it. */
    public static MimeMessage fullMessageTo(String address, String subjectContains) {
        messageTo(address, subjectContains);
        MimeMessage newest = null;
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            try {
                if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address))
                        && m.getSubject() != null && m.getSubject().contains(subjectContains)) {
                    newest = m;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return newest;
    }

    /** Like {@link #messageTo}, but waits for a message that arrived after {@code seenBefore} such messages. */
    public static String nextMessageTo(String address, String subjectContains, int seenBefore) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (messagesTo(address, subjectContains) <= seenBefore && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (messagesTo(address, subjectContains) <= seenBefore) {
            throw new AssertionError("no new email reached " + address);
        }
        return messageTo(address, subjectContains);
    }

    /** How many messages reached that address with the text in their subject. */
    public static int messagesTo(String address, String subjectContains) {
        return (int) Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address))
                        && m.getSubject() != null && m.getSubject().contains(subjectContains);
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    public static int messagesTo(String address) {
        return (int) Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address));
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    /** The token=… value of the link in a message. */
    public static String tokenIn(String body) {
        Matcher m = Pattern.compile("token=([A-Za-z0-9_%.-]*[A-Za-z0-9_%-])").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no token link in: " + body);
        }
        return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
