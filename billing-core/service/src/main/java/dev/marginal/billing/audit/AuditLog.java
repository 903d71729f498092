package dev.marginal.billing.audit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.id.Uuid7;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the append-only audit log. {@link #record} runs only inside the mutation's
 * transaction ({@link Propagation#MANDATORY}): called outside one it fails, so a route that
 * forgot its transaction fails its tests instead of writing an audit row that could commit
 * without its change, or the reverse.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;
    private final JsonMapper responses;

    /** @param responses the HTTP layer's mapper, so before/after read exactly as the API shows the subject */
    public AuditLog(JdbcClient jdbc, JsonMapper responses) {
        this.jdbc = jdbc;
        this.responses = responses;
    }

    /**
     * @param organizationId the organisation the subject belongs to (null for a platform-wide subject)
     * @param before         the subject as the API showed it before, null when it was created
     * @param after          the subject as the API shows it after, null when it was deleted
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(UUID organizationId, String action, String subjectType, Object subjectId, Object before,
                       Object after) {
        Actor actor = Actor.current();
        jdbc.sql("""
                        INSERT INTO audit_events (id, organization_id, actor_type, token_id, action, subject_type,
                                                  subject_id, before, after, request_id)
                        VALUES (:id, :org, :actorType, :token, :action, :subjectType, :subjectId,
                                CAST(:before AS jsonb), CAST(:after AS jsonb), :requestId)""")
                .param("id", Uuid7.generate()).param("org", organizationId).param("actorType", actor.type())
                .param("token", actor.tokenId()).param("action", action).param("subjectType", subjectType)
                .param("subjectId", subjectId == null ? null : subjectId.toString())
                .param("before", json(before)).param("after", json(after))
                .param("requestId", MDC.get("request_id")).update();
    }

    private String json(Object value) {
        return value == null ? null : responses.writeValueAsString(value);
    }

    /** Stripe's audit event shape, snake_case like the rest of the API. */
    public record AuditEvent(UUID id, OffsetDateTime occurredAt, String action, String subjectType, String subjectId,
                             String actorType, UUID tokenId, String requestId, JsonNode before, JsonNode after) {
    }

    /** A page newest first, strictly older than {@code startingAfter} when it is given (cursor pagination). */
    List<AuditEvent> page(UUID organizationId, UUID startingAfter, List<String> actions, String subjectType,
                          String subjectId, int limit) {
        return jdbc.sql("""
                        SELECT id, occurred_at, action, subject_type, subject_id, actor_type, token_id, request_id,
                               before::text AS before_text, after::text AS after_text
                        FROM audit_events
                        WHERE organization_id = :org
                          AND (CAST(:after AS uuid) IS NULL OR id < CAST(:after AS uuid))
                          AND (cardinality(CAST(:actions AS text[])) = 0 OR action = ANY (CAST(:actions AS text[])))
                          AND (CAST(:subjectType AS text) IS NULL OR subject_type = CAST(:subjectType AS text))
                          AND (CAST(:subjectId AS text) IS NULL OR subject_id = CAST(:subjectId AS text))
                        ORDER BY id DESC LIMIT :limit""")
                .param("org", organizationId).param("after", startingAfter)
                .param("actions", actions.toArray(String[]::new)).param("subjectType", subjectType)
                .param("subjectId", subjectId).param("limit", limit)
                .query((rs, n) -> new AuditEvent(rs.getObject("id", UUID.class),
                        rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("action"),
                        rs.getString("subject_type"), rs.getString("subject_id"), rs.getString("actor_type"),
                        rs.getObject("token_id", UUID.class), rs.getString("request_id"),
                        parse(rs.getString("before_text")), parse(rs.getString("after_text"))))
                .list();
    }

    private static JsonNode parse(String text) {
        return text == null ? null : JsonBody.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
