package dev.marginal.billing.meter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.problem.Violations;
import tools.jackson.databind.JsonNode;

/** The SQL of meters. */
@Repository
public class MeterRepository {

    private static final String COLUMNS = """
            id, organization_id, name, filter::text AS filter, aggregation::text AS aggregation, unit, custom_label,
            custom_multiplier, metadata::text AS metadata, created_at, modified_at, archived_at""";

    private final JdbcClient jdbc;

    public MeterRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Meter> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM meters WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> meter(rs)).optional();
    }

    public record Listing(List<Meter> items, long total) {
    }

    public Listing list(UUID organizationId, String query, Boolean archived, List<UUID> ids, String orderBy,
                        PageRequest page) {
        String where = """
                 FROM meters WHERE organization_id = :org
                  AND (CAST(:query AS text) IS NULL OR name ILIKE '%' || CAST(:query AS text) || '%')
                  AND (CAST(:archived AS boolean) IS NULL OR (archived_at IS NOT NULL) = CAST(:archived AS boolean))
                  AND (cardinality(CAST(:ids AS uuid[])) = 0 OR id = ANY (CAST(:ids AS uuid[])))
                """;
        UUID[] idArray = ids.toArray(UUID[]::new);
        long total = jdbc.sql("SELECT count(*)" + where).param("org", organizationId).param("query", query)
                .param("archived", archived).param("ids", idArray).query(Long.class).single();
        List<Meter> items = jdbc.sql("SELECT " + COLUMNS + where + " ORDER BY " + orderBy + ", id LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("query", query).param("archived", archived).param("ids", idArray)
                .param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> meter(rs)).list();
        return new Listing(items, total);
    }

    Meter insert(UUID organizationId, MeterDraft draft) {
        return jdbc.sql("""
                        INSERT INTO meters (id, organization_id, name, filter, aggregation, unit, custom_label,
                                            custom_multiplier, metadata)
                        VALUES (:id, :org, :name, CAST(:filter AS jsonb), CAST(:aggregation AS jsonb), :unit, :label,
                                :multiplier, CAST(:metadata AS jsonb))
                        RETURNING\s""" + COLUMNS)
                .param("id", Uuid7.generate()).param("org", organizationId).param("name", draft.name())
                .param("filter", text(draft.filter() == null ? null : MeterJson.json(draft.filter())))
                .param("aggregation", text(draft.aggregation() == null ? null : MeterJson.json(draft.aggregation())))
                .param("unit", draft.unit() == null ? "scalar" : draft.unit()).param("label", draft.customLabel())
                .param("multiplier", draft.customMultiplier()).param("metadata", text(draft.metadata()))
                .query((rs, n) -> meter(rs)).single();
    }

    Optional<Meter> update(UUID organizationId, UUID id, MeterDraft draft, Boolean archived) {
        return jdbc.sql("""
                        UPDATE meters SET
                            name = coalesce(:name, name),
                            filter = coalesce(CAST(:filter AS jsonb), filter),
                            aggregation = coalesce(CAST(:aggregation AS jsonb), aggregation),
                            unit = coalesce(:unit, unit),
                            custom_label = coalesce(:label, custom_label),
                            custom_multiplier = coalesce(:multiplier, custom_multiplier),
                            metadata = coalesce(CAST(:metadata AS jsonb), metadata),
                            archived_at = CASE WHEN CAST(:archived AS boolean) IS NULL THEN archived_at
                                               WHEN CAST(:archived AS boolean) THEN coalesce(archived_at, now())
                                               ELSE NULL END,
                            modified_at = now()
                        WHERE organization_id = :org AND id = :id
                        RETURNING\s""" + COLUMNS)
                .param("org", organizationId).param("id", id).param("name", draft.name())
                .param("filter", text(draft.filter() == null ? null : MeterJson.json(draft.filter())))
                .param("aggregation", text(draft.aggregation() == null ? null : MeterJson.json(draft.aggregation())))
                .param("unit", draft.unit()).param("label", draft.customLabel())
                .param("multiplier", draft.customMultiplier()).param("metadata", text(draft.metadata()))
                .param("archived", archived)
                .query((rs, n) -> meter(rs)).optional();
    }

    private static String text(JsonNode node) {
        return node == null ? null : JsonBody.MAPPER.writeValueAsString(node);
    }

    private static JsonNode json(String text) {
        return JsonBody.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Meter meter(ResultSet rs) throws SQLException {
        JsonNode filter = json(rs.getString("filter"));
        JsonNode aggregation = json(rs.getString("aggregation"));
        Violations ignored = new Violations();
        return new Meter(json(rs.getString("metadata")), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("modified_at", OffsetDateTime.class), rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getString("unit"), rs.getString("custom_label"), (Integer) rs.getObject("custom_multiplier"),
                filter, aggregation, rs.getObject("organization_id", UUID.class),
                rs.getObject("archived_at", OffsetDateTime.class),
                MeterJson.filter(filter, List.of("filter"), ignored), MeterJson.aggregation(aggregation, List.of("aggregation"), ignored));
    }
}
