package dev.marginal.dashboard;

import dev.marginal.warehouse.html.Html;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The founder dashboard: the JDK's HTTP server, one page per organisation, its figures as JSON.
 *
 * <pre>
 * GET  /health                  200 "ok" (the stack's readiness probe)
 * GET  /metrics                 Prometheus text: marginal_dashboard_query_seconds{panel}, see {@link PanelTimes}
 * GET  /                        to the login form, or to the first organisation of the session
 * GET  /login · POST /login     a warehouse login (user, password), see {@link Logins}
 * POST /logout
 * GET  /orgs/{id}               the page: charts and tables, drawn by /assets/dashboard.js
 * GET  /orgs/{id}/figures       {@link Figures} as JSON; ?currency=usd&amp;days=30
 * </pre>
 *
 * Errors of the JSON route are problem+json (RFC 9457): 401 without a session, 403 for another
 * organisation, 400 for a bad parameter, 503 when Trino does not answer.
 */
public final class DashboardServer implements AutoCloseable {

    static final String COOKIE = "marginal_dashboard";
    private static final Pattern ORG_PAGE = Pattern.compile("/orgs/([A-Za-z0-9._-]{1,64})(/figures)?");
    private static final int MAX_DAYS = 366;

    private final HttpServer http;
    private final ExecutorService threads;
    private final Trino trino;
    private final Logins logins;
    private final Clock clock;
    private final int refreshSeconds;
    private final PanelTimes panelTimes = new PanelTimes();
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /**
     * @param bind           address to listen on ({@code 127.0.0.1} for the local stack)
     * @param trinoJdbcUrl   Trino's HTTPS JDBC URL, without user or password
     * @param refreshSeconds how often the page fetches its figures again
     * @param clock          "today" for the windows; UTC
     */
    public DashboardServer(String bind, int port, String trinoJdbcUrl, int refreshSeconds, Clock clock) throws IOException {
        this.trino = new Trino(trinoJdbcUrl);
        this.clock = clock;
        this.logins = new Logins(trino, clock);
        this.refreshSeconds = refreshSeconds;
        this.http = HttpServer.create(new InetSocketAddress(bind, port), 64);
        // A few threads: each page view runs its panels one after another on one Trino connection.
        this.threads = Executors.newFixedThreadPool(4);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("MARGINAL_DASHBOARD_PORT", "8090"));
        String trinoUrl = Optional.ofNullable(env.get("MARGINAL_TRINO_URL"))
                .orElseThrow(() -> new IllegalStateException("MARGINAL_TRINO_URL is not set (Trino's HTTPS JDBC URL)"));
        int refresh = Integer.parseInt(env.getOrDefault("MARGINAL_DASHBOARD_REFRESH_SECONDS", "30"));
        String bind = env.getOrDefault("MARGINAL_DASHBOARD_BIND", "127.0.0.1");
        DashboardServer server = new DashboardServer(bind, port, trinoUrl, refresh, Clock.systemUTC());
        server.start();
        System.out.println("dashboard on http://" + bind + ":" + server.port() + " (Trino " + trinoUrl + ")");
    }

    public void start() {
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            route(exchange);
        } catch (RuntimeException e) {
            problem(exchange, 500, "internal", "Internal error", String.valueOf(e.getMessage()));
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/health")) {
            send(exchange, 200, "text/plain; charset=utf-8", "ok");
        } else if (path.equals("/metrics")) {
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", panelTimes.prometheus());
        } else if (path.equals("/login") && method.equals("POST")) {
            logIn(exchange);
        } else if (path.equals("/login")) {
            send(exchange, 200, "text/html; charset=utf-8", loginPage(""));
        } else if (path.equals("/logout") && method.equals("POST")) {
            logins.logOut(cookie(exchange).orElse(null));
            exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            redirect(exchange, "/login");
        } else if (path.equals("/")) {
            Optional<Logins.Session> session = session(exchange);
            redirect(exchange, session.map(s -> "/orgs/" + s.organizations().get(0)).orElse("/login"));
        } else if (path.startsWith("/assets/")) {
            asset(exchange, path.substring("/assets/".length()));
        } else {
            Matcher org = ORG_PAGE.matcher(path);
            if (org.matches() && method.equals("GET")) {
                organisation(exchange, org.group(1), org.group(2) != null);
            } else {
                problem(exchange, 404, "not-found", "Not found", "no page at " + path);
            }
        }
    }

    private void organisation(HttpExchange exchange, String organizationId, boolean figures) throws IOException {
        Optional<Logins.Session> session = session(exchange);
        if (session.isEmpty()) {
            if (figures) {
                problem(exchange, 401, "login-required", "Login required", "log in at /login first");
            } else {
                redirect(exchange, "/login");
            }
            return;
        }
        if (!session.get().mayOpen(organizationId)) {
            problem(exchange, 403, "organization-forbidden", "Not your organisation",
                    "user " + session.get().user() + " may not read organisation " + organizationId);
            return;
        }
        if (!figures) {
            send(exchange, 200, "text/html; charset=utf-8", resource("page.html")
                    .replace("{{organizationId}}", organizationId)
                    .replace("{{user}}", Html.escape(session.get().user()))
                    .replace("{{refreshSeconds}}", Integer.toString(refreshSeconds)));
            return;
        }
        Map<String, String> query = form(Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));
        Optional<String> currency = Optional.ofNullable(query.get("currency")).filter(c -> !c.isEmpty());
        if (currency.isPresent() && !currency.get().matches("[A-Za-z]{3}")) {
            problem(exchange, 400, "invalid-currency", "Invalid currency", "currency must be an ISO 4217 code such as usd, not '" + currency.get() + "'");
            return;
        }
        int days;
        try {
            days = Integer.parseInt(query.getOrDefault("days", "30"));
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 1 || days > MAX_DAYS) {
            problem(exchange, 400, "invalid-window", "Invalid window", "days must be a whole number from 1 to " + MAX_DAYS);
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Figures result;
        try (Connection connection = trino.connect(session.get().user(), session.get().password())) {
            result = new FiguresReader(connection, panelTimes).read(organizationId, currency, today, days);
        } catch (SQLException e) {
            problem(exchange, 503, "warehouse-unavailable", "Warehouse unavailable", "Trino: " + e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            problem(exchange, 400, "invalid-currency", "Invalid currency", e.getMessage());
            return;
        }
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        send(exchange, 200, "application/json", json.writeValueAsString(result));
    }

    private void logIn(HttpExchange exchange) throws IOException {
        Map<String, String> fields = form(new String(exchange.getRequestBody().readNBytes(16_384), StandardCharsets.UTF_8));
        try {
            String id = logins.logIn(fields.getOrDefault("user", "").trim(), fields.getOrDefault("password", ""));
            exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict");
            redirect(exchange, "/orgs/" + logins.session(id).orElseThrow().organizations().get(0));
        } catch (Logins.Refused refused) {
            send(exchange, refused.status(), "text/html; charset=utf-8", loginPage(refused.getMessage()));
        }
    }

    private Optional<Logins.Session> session(HttpExchange exchange) {
        return cookie(exchange).flatMap(logins::session);
    }

    private static Optional<String> cookie(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String pair : header.split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(COOKIE)) {
                    return Optional.of(kv[1]);
                }
            }
        }
        return Optional.empty();
    }

    private String loginPage(String message) {
        return resource("login.html").replace("{{message}}", Html.escape(message));
    }

    private void asset(HttpExchange exchange, String name) throws IOException {
        String type = switch (name) {
            case "dashboard.js" -> "text/javascript; charset=utf-8";
            case "dashboard.css" -> "text/css; charset=utf-8";
            default -> null;
        };
        if (type == null) {
            problem(exchange, 404, "not-found", "Not found", "no asset " + name);
            return;
        }
        send(exchange, 200, type, resource(name));
    }

    private static String resource(String name) {
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /dashboard/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }

    private void problem(HttpExchange exchange, int status, String slug, String title, String detail) throws IOException {
        Map<String, Object> body = Map.of("type", "https://marginal.dev/problems/" + slug, "title", title,
                "status", status, "detail", detail);
        send(exchange, status, "application/problem+json", json.writeValueAsString(body));
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
