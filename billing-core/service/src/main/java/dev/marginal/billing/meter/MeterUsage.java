package dev.marginal.billing.meter;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.pricing.meter.MeterQuantities;
import dev.marginal.pricing.meter.TimeInterval;

/**
 * Feeds a meter's events to the pricing engine. The database only pre-selects (organisation,
 * time range, customers, and the event name when the filter pins one); the filter and the
 * aggregation are evaluated by {@link MeterQuantities}, exactly as the invoice evaluates them.
 * Rows are streamed with a cursor, so memory does not grow with the number of events.
 */
@Service
public class MeterUsage {

    private static final int FETCH_SIZE = 5_000;

    /** Customers are matched by id or by their current external id, as events are read everywhere. */
    private static final String EVENTS = """
            SELECT e.name, e.source, e.timestamp, e.metadata::text AS metadata
            FROM events e
            WHERE e.organization_id = :org AND e.timestamp >= :from AND e.timestamp < :until
              AND (CAST(:name AS text) IS NULL OR e.name = CAST(:name AS text))
              AND (cardinality(CAST(:customerIds AS uuid[])) = 0 AND cardinality(CAST(:externalIds AS text[])) = 0
                   OR e.customer_id = ANY (CAST(:customerIds AS uuid[]))
                   OR e.external_customer_id = ANY (CAST(:externalIds AS text[]))
                   OR e.external_customer_id IN (SELECT external_id FROM customers WHERE organization_id = :org
                                                   AND id = ANY (CAST(:customerIds AS uuid[])))
                   OR e.customer_id IN (SELECT id FROM customers WHERE organization_id = :org
                                          AND external_id = ANY (CAST(:externalIds AS text[]))))
            """;

    private final NamedParameterJdbcTemplate jdbc;

    public MeterUsage(DataSource dataSource) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH_SIZE);
        this.jdbc = new NamedParameterJdbcTemplate(template);
    }

    /** Streams the matching events of the range into {@code quantities} (read-only transaction: cursors need one). */
    @Transactional(readOnly = true)
    public MeterQuantities measure(Meter meter, MeterQuantities quantities, List<UUID> customerIds,
                                   List<String> externalCustomerIds) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("org", meter.organizationId())
                .addValue("from", OffsetDateTime.ofInstant(quantities.from(), java.time.ZoneOffset.UTC))
                .addValue("until", OffsetDateTime.ofInstant(quantities.until(), java.time.ZoneOffset.UTC))
                .addValue("name", meter.filterRule().requiredName().orElse(null))
                .addValue("customerIds", customerIds.toArray(UUID[]::new))
                .addValue("externalIds", externalCustomerIds.toArray(String[]::new));
        jdbc.query(EVENTS, params, rs -> {
            Instant timestamp = rs.getObject("timestamp", OffsetDateTime.class).toInstant();
            quantities.add(MeterJson.event(rs.getString("name"), rs.getString("source"), timestamp,
                    JsonBody.parse(rs.getString("metadata").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        });
        return quantities;
    }

    /**
     * What a customer used of a meter over exactly {@code [from, until)}: the billing period an
     * order bills in arrears. Only that range is read; the engine's filter and aggregation decide.
     */
    @Transactional(readOnly = true)
    public BigDecimal total(Meter meter, UUID customerId, Instant from, Instant until) {
        MeterQuantities quantities = new MeterQuantities(meter.filterRule(), meter.aggregationRule(), from, until,
                TimeInterval.YEAR, ZoneOffset.UTC);
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("org", meter.organizationId())
                .addValue("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
                .addValue("until", OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
                .addValue("name", meter.filterRule().requiredName().orElse(null))
                .addValue("customerIds", new UUID[] {customerId})
                .addValue("externalIds", new String[0]);
        jdbc.query(EVENTS, params, rs -> {
            Instant timestamp = rs.getObject("timestamp", OffsetDateTime.class).toInstant();
            quantities.add(MeterJson.event(rs.getString("name"), rs.getString("source"), timestamp,
                    JsonBody.parse(rs.getString("metadata").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        });
        return quantities.total();
    }
}
