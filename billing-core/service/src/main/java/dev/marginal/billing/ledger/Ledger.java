package dev.marginal.billing.ledger;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.id.Uuid7;

/**
 * The only writer of {@code transactions}: a whole, balanced {@link Movement} in one statement,
 * inside the caller's transaction. Rows are never updated or deleted (the table's triggers refuse
 * it); a correction is a new movement. Balances are sums of rows, never stored numbers.
 */
@Repository
public class Ledger {

    private final JdbcClient jdbc;

    public Ledger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void post(Movement movement) {
        int n = movement.entries().size();
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        String[] accounts = new String[n];
        Long[] amounts = new Long[n];
        String[] currencies = new String[n];
        for (int i = 0; i < n; i++) {
            Movement.Entry entry = movement.entries().get(i);
            ids[i] = Uuid7.generate();
            types[i] = entry.type().wireName();
            accounts[i] = entry.account();
            amounts[i] = entry.amount().minorUnits();
            currencies[i] = entry.amount().currency().getCurrencyCode().toLowerCase(Locale.ROOT);
        }
        jdbc.sql("""
                        INSERT INTO transactions (id, organization_id, correlation_key, type, account, amount, currency,
                                                  order_id, payment_id, created_at)
                        SELECT t.id, :org, :key, t.type, t.account, t.amount, t.currency, :order, :payment, :at
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[]), CAST(:accounts AS text[]),
                                    CAST(:amounts AS bigint[]), CAST(:currencies AS text[]))
                             AS t (id, type, account, amount, currency)""")
                .param("org", movement.organizationId()).param("key", movement.correlationKey())
                .param("order", movement.orderId()).param("payment", movement.paymentId())
                .param("at", movement.at().atOffset(ZoneOffset.UTC)).param("ids", ids).param("types", types)
                .param("accounts", accounts).param("amounts", amounts).param("currencies", currencies).update();
    }

    /** An account's balance in one currency: the sum of its rows. */
    public long balance(UUID organizationId, String account, String currency) {
        return jdbc.sql("""
                        SELECT coalesce(sum(amount), 0) FROM transactions
                        WHERE organization_id = :org AND account = :account AND currency = :currency""")
                .param("org", organizationId).param("account", account).param("currency", currency)
                .query(Long.class).single();
    }

    /** A merchant's balance: what the organisation is owed after fees, refunds and payouts. */
    public long merchantBalance(UUID organizationId, String currency) {
        return balance(organizationId, Accounts.merchant(organizationId), currency);
    }

    /** The rows of an organisation's ledger, oldest first (tests and audits). */
    public List<Map<String, Object>> rows(UUID organizationId) {
        return jdbc.sql("""
                        SELECT correlation_key, type, account, amount, currency, order_id, payment_id
                        FROM transactions WHERE organization_id = :org ORDER BY recorded_at, id""")
                .param("org", organizationId).query().listOfRows();
    }
}
