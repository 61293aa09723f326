package com.harmony.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * A TCP proxy in front of the test database that breaks the connection of one transaction at its COMMIT, as
 * when a network or a host fails at that moment: either the server still gets the COMMIT, commits and its
 * answer is lost, or the COMMIT never arrives; or the answer to one statement run outside a transaction is
 * lost. Armed for the next transaction or statement that sends a given text (the pool must not cache prepared
 * statements, so the text goes out at every execution).
 */
public final class PgWireProxy {

    private PgWireProxy() {
    }

    /** What a test sees of the proxy (a JMX interface: see {@link #shared()}). */
    public interface Control {
        int getPort();

        /**
         * The next transaction that sends this statement loses its connection once it has sent COMMIT, and the
         * server gets that COMMIT half a second later, commits, and its answer is lost.
         */
        void loseCommitAnswerAfter(String sql);

        /** The next transaction that sends this statement loses its connection with its COMMIT, which never arrives. */
        void dropCommitAfter(String sql);

        /** Answers lost so far (to a COMMIT or a statement). */
        int getCommitAnswersLost();

        /** COMMITs dropped so far. */
        int getCommitsDropped();

        /** The next statement with this text runs (and commits, outside a transaction) and its answer is lost with the connection. */
        void loseAnswerTo(String sql);
    }

    /** What the next transaction sending {@code marker} meets at its COMMIT, or ({@code atOnce}) the statement itself. */
    private record Arming(byte[] marker, boolean commits, boolean atOnce) {
    }

    /** How long the server waits for a COMMIT whose client has already seen its connection break. */
    private static final long LATE_MILLIS = 500;

    /** The reactive client commits with a simple query: 'Q', its length, "COMMIT" and a zero byte. */
    private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROLLBACK = "ROLLBACK\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * One proxy per test JVM, in front of the test profile's database (TEST_DB_HOST, TEST_DB_PORT). The test
     * profile's configuration and the test itself load this class through different class loaders, so the one
     * proxy is registered with the platform's MBean server, which both reach.
     */
    public static Control shared() {
        MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName("com.harmony.test:type=PgWireProxy");
            synchronized (beans) {
                if (!beans.isRegistered(name)) {
                    Server proxy = new Server(System.getenv().getOrDefault("TEST_DB_HOST", "127.0.0.1"),
                            Integer.parseInt(System.getenv().getOrDefault("TEST_DB_PORT", "5432")));
                    beans.registerMBean(new StandardMBean(proxy, Control.class), name);
                }
            }
            return JMX.newMBeanProxy(beans, name, Control.class);
        } catch (IOException | JMException e) {
            throw new IllegalStateException("the proxy could not start", e);
        }
    }

    /** The reactive URL of the test database through the proxy. */
    public static String reactiveUrl() {
        return "postgresql://127.0.0.1:" + shared().getPort() + "/" + System.getenv().getOrDefault("TEST_DB_NAME", "harmony_test");
    }

    private static final class Server implements Control {
        private final ServerSocket server;
        private final String targetHost;
        private final int targetPort;
        private final AtomicReference<Arming> armed = new AtomicReference<>();
        private final AtomicInteger lost = new AtomicInteger();
        private final AtomicInteger dropped = new AtomicInteger();

        Server(String targetHost, int targetPort) throws IOException {
            this.targetHost = targetHost;
            this.targetPort = targetPort;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "pg-wire-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public int getPort() {
            return server.getLocalPort();
        }

        @Override
        public void loseCommitAnswerAfter(String sql) {
            armed.set(new Arming(sql.getBytes(StandardCharsets.UTF_8), true, false));
        }

        @Override
        public void dropCommitAfter(String sql) {
            armed.set(new Arming(sql.getBytes(StandardCharsets.UTF_8), false, false));
        }

        @Override
        public void loseAnswerTo(String sql) {
            armed.set(new Arming(sql.getBytes(StandardCharsets.UTF_8), true, true));
        }

        @Override
        public int getCommitAnswersLost() {
            return lost.get();
        }

        @Override
        public int getCommitsDropped() {
            return dropped.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    new Pair(client, upstream).start();
                } catch (IOException e) {
                    // a client that could not be connected upstream sees its connection closed, as a down server would do
                }
            }
        }

        private final class Pair {
            private final Socket client;
            private final Socket upstream;
            private volatile boolean marked;
            private volatile boolean swallowing;
            private volatile boolean handedOver;

            Pair(Socket client, Socket upstream) {
                this.client = client;
                this.upstream = upstream;
            }

            void start() {
                Thread out = new Thread(this::clientToServer, "pg-wire-proxy-out");
                Thread in = new Thread(this::serverToClient, "pg-wire-proxy-in");
                out.setDaemon(true);
                in.setDaemon(true);
                out.start();
                in.start();
            }

            private void clientToServer() {
                byte[] buf = new byte[64 * 1024];
                byte[] tail = new byte[0]; // the end of the previous read, for a statement split across two
                try {
                    InputStream from = client.getInputStream();
                    OutputStream to = upstream.getOutputStream();
                    for (int n; (n = from.read(buf)) > 0;) {
                        Arming arming = armed.get();
                        if (marked && arming != null && arming.atOnce() && armed.compareAndSet(arming, null)) {
                            // the statement's execution (the client prepared it first, a round trip of its own) goes out;
                            // its answer never comes back
                            marked = false;
                            swallowing = true;
                        } else if (arming != null && indexOf(joined(tail, buf, n), tail.length + n, arming.marker()) >= 0) {
                            marked = true;
                        }
                        tail = arming == null ? new byte[0] : Arrays.copyOfRange(buf, Math.max(0, n - arming.marker().length), n);
                        if (marked && indexOf(buf, n, COMMIT) >= 0) {
                            marked = false;
                            if (arming != null && armed.compareAndSet(arming, null)) {
                                if (!arming.commits()) {
                                    dropped.incrementAndGet();
                                    return; // both sides closed: the server rolls the transaction back
                                }
                                swallowing = true;
                                client.close(); // the service hears of the break before the server has the COMMIT
                                Thread.sleep(LATE_MILLIS);
                                to.write(buf, 0, n);
                                to.flush();
                                handedOver = true; // serverToClient closes the server's side once the answer is in
                                return;
                            }
                        } else if (indexOf(buf, n, ROLLBACK) >= 0) {
                            marked = false;
                        }
                        to.write(buf, 0, n);
                        to.flush();
                    }
                } catch (IOException e) {
                    // either side closed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    if (!handedOver) {
                        closeBoth();
                    }
                }
            }

            private void serverToClient() {
                byte[] buf = new byte[64 * 1024];
                try {
                    InputStream from = upstream.getInputStream();
                    OutputStream to = client.getOutputStream();
                    for (int n; (n = from.read(buf)) > 0;) {
                        if (swallowing) {
                            lost.incrementAndGet(); // the server answered: the work is done; the client never hears it
                            return;
                        }
                        to.write(buf, 0, n);
                        to.flush();
                    }
                } catch (IOException e) {
                    // either side closed
                } finally {
                    closeBoth();
                }
            }

            private void closeBoth() {
                try {
                    client.close();
                } catch (IOException ignored) {
                    // closing
                }
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static byte[] joined(byte[] tail, byte[] buf, int length) {
        byte[] all = Arrays.copyOf(tail, tail.length + length);
        System.arraycopy(buf, 0, all, tail.length, length);
        return all;
    }

    private static int indexOf(byte[] buf, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
