package dev.marginal.billing.event;

import java.sql.PreparedStatement;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.id.Uuid7;

/** The SQL of usage events. */
@Repository
public class EventRepository {

    /**
     * The whole batch in one statement, hence one round trip and one transaction: a batch is
     * stored entirely or not at all. {@code ON CONFLICT DO NOTHING} skips an {@code external_id}
     * the organisation already used (the partial unique index), including one a concurrent batch
     * is inserting right now.
     */
    public static final String INSERT_BATCH = """
            INSERT INTO events (id, organization_id, customer_id, external_customer_id, external_id,
                                name, timestamp, metadata, source,
                                cost_amount, cost_currency, cost_source, model_price_id, trace_id)
            SELECT e.id, ?, e.customer_id, e.external_customer_id, e.external_id,
                   e.name, e.timestamp, e.metadata, 'user',
                   e.cost_amount, e.cost_currency, e.cost_source, e.model_price_id, ?
            FROM unnest(?::text[]::uuid[], ?::text[]::uuid[], ?::text[], ?::text[], ?::text[],
                        ?::text[]::timestamptz[], ?::text[]::jsonb[],
                        ?::text[]::numeric[], ?::text[], ?::text[], ?::text[]::uuid[])
                 AS e(id, customer_id, external_customer_id, external_id, name, timestamp, metadata,
                      cost_amount, cost_currency, cost_source, model_price_id)
            ON CONFLICT DO NOTHING
            """;

    private final JdbcTemplate jdbc;

    public EventRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param costs one per event, null where an event has no cost
     * @param traceId the ingest request's trace id, one per batch (hence a scalar, not an array); may be null
     * @return how many events were inserted; the rest were already there
     */
    public int insert(UUID organizationId, List<EventDraft> events, List<EventCost> costs, String traceId) {
        if (events.isEmpty()) {
            return 0;
        }
        int n = events.size();
        // Every column travels as text[] and is cast in SQL: one array type the driver always binds.
        String[] ids = new String[n];
        String[] customerIds = new String[n];
        String[] externalCustomerIds = new String[n];
        String[] externalIds = new String[n];
        String[] names = new String[n];
        String[] timestamps = new String[n];
        String[] metadata = new String[n];
        String[] costAmounts = new String[n];
        String[] costCurrencies = new String[n];
        String[] costSources = new String[n];
        String[] modelPriceIds = new String[n];
        for (int i = 0; i < n; i++) {
            EventDraft event = events.get(i);
            ids[i] = Uuid7.generate().toString();
            customerIds[i] = event.customerId() == null ? null : event.customerId().toString();
            externalCustomerIds[i] = event.externalCustomerId();
            externalIds[i] = event.externalId();
            names[i] = event.name();
            // UTC, microseconds: the text PostgreSQL reads back to exactly the same instant.
            timestamps[i] = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.timestamp());
            metadata[i] = JsonBody.MAPPER.writeValueAsString(event.metadata());
            EventCost cost = costs.get(i);
            if (cost != null) {
                costAmounts[i] = cost.amount().toPlainString();
                costCurrencies[i] = cost.currency();
                costSources[i] = cost.source();
                modelPriceIds[i] = cost.modelPriceId() == null ? null : cost.modelPriceId().toString();
            }
        }
        Integer inserted = jdbc.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_BATCH)) {
                statement.setObject(1, organizationId);
                statement.setString(2, traceId);
                statement.setArray(3, connection.createArrayOf("text", ids));
                statement.setArray(4, connection.createArrayOf("text", customerIds));
                statement.setArray(5, connection.createArrayOf("text", externalCustomerIds));
                statement.setArray(6, connection.createArrayOf("text", externalIds));
                statement.setArray(7, connection.createArrayOf("text", names));
                statement.setArray(8, connection.createArrayOf("text", timestamps));
                statement.setArray(9, connection.createArrayOf("text", metadata));
                statement.setArray(10, connection.createArrayOf("text", costAmounts));
                statement.setArray(11, connection.createArrayOf("text", costCurrencies));
                statement.setArray(12, connection.createArrayOf("text", costSources));
                statement.setArray(13, connection.createArrayOf("text", modelPriceIds));
                return statement.executeUpdate();
            }
        });
        return inserted == null ? 0 : inserted;
    }

}
