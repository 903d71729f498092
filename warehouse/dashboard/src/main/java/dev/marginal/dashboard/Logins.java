package dev.marginal.dashboard;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is looking. A founder logs in with a Trino login of the warehouse's analyst model
 * ({@code bin/marginal analyst <user> <organisation>}): Trino checks the password, and the
 * organisations the user may see are its rows of {@code marginal.access.analysts}. Every query
 * of the page then runs as that user, so Trino's row filters keep other organisations' rows out
 * even if this service had a bug; the dashboard itself holds no Trino credentials at all.
 *
 * <p>A session is a random 256-bit cookie value mapped, in this process only, to the login; it
 * expires after {@link #IDLE} without a request. A restart logs everybody out, which is fine for a
 * page that is re-opened with the same password.
 */
final class Logins {

    static final Duration IDLE = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A logged-in user and the organisations it may open, as Trino's access mapping says. */
    record Session(String user, String password, List<String> organizations, Instant lastSeen) {
        Session {
            organizations = List.copyOf(organizations);
        }

        boolean mayOpen(String organizationId) {
            return organizations.contains(organizationId);
        }
    }

    /** Why a login was refused, in words fit for the login form, and the HTTP status that says so. */
    static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final Trino trino;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Logins(Trino trino, Clock clock) {
        this.trino = trino;
        this.clock = clock;
    }

    /** Checks the password with Trino and returns a new session id. */
    String logIn(String user, String password) throws Refused {
        if (user.isBlank() || password.isEmpty()) {
            throw new Refused(400, "enter your warehouse user name and password");
        }
        List<String> organizations = new ArrayList<>();
        try (Connection connection = trino.connect(user, password);
             var statement = connection.prepareStatement(
                     // Explicit on user_name as well: the platform user has no row filter and must not
                     // inherit every analyst's organisations.
                     "SELECT DISTINCT organization_id FROM marginal.access.analysts WHERE user_name = current_user ORDER BY 1");
             var rows = statement.executeQuery()) {
            while (rows.next()) {
                organizations.add(rows.getString(1));
            }
        } catch (SQLException e) {
            if (Trino.isAuthenticationFailure(e)) {
                throw new Refused(401, "wrong user name or password");
            }
            throw new Refused(503, "the warehouse did not answer: " + e.getMessage());
        }
        if (organizations.isEmpty()) {
            throw new Refused(403, "user " + user + " may read no organisation (bin/marginal analyst " + user + " <organisation>)");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        sessions.put(id, new Session(user, password, organizations, clock.instant()));
        return id;
    }

    /** The live session for a cookie value, touched; expired ones are dropped. */
    Optional<Session> session(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session session = sessions.computeIfPresent(id, (key, s) ->
                s.lastSeen().plus(IDLE).isBefore(now) ? null : new Session(s.user(), s.password(), s.organizations(), now));
        return Optional.ofNullable(session);
    }

    void logOut(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
