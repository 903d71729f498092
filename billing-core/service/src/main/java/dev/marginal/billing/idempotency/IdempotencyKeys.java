package dev.marginal.billing.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's {@code Idempotency-Key} for the POSTs that create or move money. The key is claimed
 * (inserted) first, in the same transaction as the request's effect, and the response is stored
 * before commit: a replay answers the stored response, concurrent duplicates wait on the key and
 * then replay, and a request that fails rolls back its claim too, so a corrected retry may reuse
 * the key. The request is compared by a SHA-256 of its route and its JSON body as parsed (so
 * whitespace does not matter, field order and values do).
 */
@Service
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY = 255;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper responses;

    public IdempotencyKeys(JdbcClient jdbc, PlatformTransactionManager transactionManager, JsonMapper responses) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.responses = responses;
    }

    /** Runs {@code action} once per organisation and key; without a key, simply runs it. */
    public ResponseEntity<?> once(UUID organizationId, String key, String route, JsonNode request,
                                  Supplier<ResponseEntity<?>> action) {
        if (key == null) {
            return action.get();
        }
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ApiException(ProblemType.BAD_REQUEST,
                    HEADER + " must be 1 to " + MAX_KEY + " printable ASCII characters without spaces.");
        }
        String hash = sha256(route + "\n" + (request == null ? "" : JsonBody.MAPPER.writeValueAsString(request)));
        return transactions.execute(status -> {
            int claimed = jdbc.sql("""
                            INSERT INTO idempotency_keys (organization_id, key, route, request_hash)
                            VALUES (:org, :key, :route, :hash) ON CONFLICT DO NOTHING""")
                    .param("org", organizationId).param("key", key).param("route", route).param("hash", hash)
                    .update();
            if (claimed == 0) {
                return replay(organizationId, key, hash);
            }
            ResponseEntity<?> response = action.get();
            String body = responses.writeValueAsString(response.getBody());
            jdbc.sql("""
                            UPDATE idempotency_keys SET response_status = :status, response_body = :body
                            WHERE organization_id = :org AND key = :key""")
                    .param("status", response.getStatusCode().value()).param("body", body)
                    .param("org", organizationId).param("key", key).update();
            return ResponseEntity.status(response.getStatusCode()).contentType(MediaType.APPLICATION_JSON).body(body);
        });
    }

    private record Stored(String hash, int status, String body) {
    }

    private ResponseEntity<?> replay(UUID organizationId, String key, String hash) {
        Stored stored = jdbc.sql("""
                        SELECT request_hash, response_status, response_body FROM idempotency_keys
                        WHERE organization_id = :org AND key = :key""")
                .param("org", organizationId).param("key", key)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getInt(2), rs.getString(3))).single();
        if (!stored.hash().equals(hash)) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED, "The " + HEADER + " " + key
                    + " was already used with another request; use a new key for a new request.");
        }
        return ResponseEntity.status(HttpStatus.valueOf(stored.status())).contentType(MediaType.APPLICATION_JSON)
                .header(REPLAYED_HEADER, "true").body(stored.body());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
