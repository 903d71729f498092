package dev.marginal.billing.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.pricing.Money;

class LedgerTest extends BillingApiTest {

    private static final Instant AT = Instant.parse("2025-03-01T00:00:00Z");

    @Autowired
    Ledger ledger;

    @Autowired
    TransactionTemplate transactions;

    private static Money usd(long cents) {
        return Money.of(cents, "USD");
    }

    /** Ada pays $100.00: 2.9 % + 30¢ = 320¢ to the processor, 80¢ to the platform, 9,600¢ to the merchant. */
    private Movement payment(Tenant tenant, UUID customer) {
        List<Movement.Entry> entries = new ArrayList<>();
        String merchant = Accounts.merchant(tenant.id());
        entries.addAll(Movement.transfer(Movement.Type.PAYMENT, Accounts.customer(customer), merchant, usd(10_000)));
        entries.addAll(Movement.transfer(Movement.Type.PROCESSOR_FEE, merchant, Accounts.PROCESSOR, usd(320)));
        entries.addAll(Movement.transfer(Movement.Type.PLATFORM_FEE, merchant, Accounts.PLATFORM, usd(80)));
        return new Movement(tenant.id(), UUID.randomUUID(), AT, null, null, entries);
    }

    @Test
    void merchantBalanceIsTheSumOfItsRows() {
        Tenant tenant = newTenant();
        UUID ada = UUID.randomUUID();
        transactions.executeWithoutResult(s -> ledger.post(payment(tenant, ada)));
        transactions.executeWithoutResult(s -> ledger.post(payment(tenant, ada)));

        // twice 10,000 − 320 − 80 = 9,600
        assertThat(ledger.merchantBalance(tenant.id(), "usd")).isEqualTo(19_200);
        long sumOfRows = jdbc.sql("SELECT sum(amount) FROM transactions WHERE organization_id = ? AND account = ?")
                .param(tenant.id()).param(Accounts.merchant(tenant.id())).query(Long.class).single();
        assertThat(ledger.merchantBalance(tenant.id(), "usd")).isEqualTo(sumOfRows);
        assertThat(ledger.balance(tenant.id(), Accounts.customer(ada), "usd")).isEqualTo(-20_000);
        assertThat(ledger.balance(tenant.id(), Accounts.PROCESSOR, "usd")).isEqualTo(640);
        assertThat(ledger.merchantBalance(tenant.id(), "eur")).as("no euro rows").isZero();
    }

    @Test
    void everyLedgerMovementSumsToZero() {
        Tenant tenant = newTenant();
        transactions.executeWithoutResult(s -> ledger.post(payment(tenant, UUID.randomUUID())));
        long unbalanced = jdbc.sql("""
                        SELECT count(*) FROM (SELECT correlation_key, currency FROM transactions
                                              GROUP BY correlation_key, currency HAVING sum(amount) <> 0) u""")
                .query(Long.class).single();
        assertThat(unbalanced).isZero();
        assertThat(ledger.rows(tenant.id())).hasSize(6);
    }

    @Test
    void anUnbalancedMovementCannotBeBuilt() {
        String merchant = Accounts.merchant(UUID.randomUUID());
        assertThatThrownBy(() -> new Movement(UUID.randomUUID(), UUID.randomUUID(), AT, null, null, List.of(
                new Movement.Entry(Movement.Type.PAYMENT, "customer:" + UUID.randomUUID(), usd(-10_000)),
                new Movement.Entry(Movement.Type.PAYMENT, merchant, usd(9_999)))))
                .isInstanceOf(Movement.UnbalancedMovementException.class).hasMessageContaining("-1 USD left over");
        // balanced in sum but across two currencies is still unbalanced in each
        assertThatThrownBy(() -> new Movement(UUID.randomUUID(), UUID.randomUUID(), AT, null, null, List.of(
                new Movement.Entry(Movement.Type.PAYMENT, "platform", usd(-100)),
                new Movement.Entry(Movement.Type.PAYMENT, merchant, Money.of(100, "EUR")))))
                .isInstanceOf(Movement.UnbalancedMovementException.class);
    }

    /** Bypassing the Java check, the database refuses the movement at commit and writes nothing. */
    @Test
    void anUnbalancedMovementIsRefusedAndNothingIsWritten() {
        Tenant tenant = newTenant();
        UUID key = UUID.randomUUID();
        assertThatThrownBy(() -> transactions.executeWithoutResult(s -> {
            insertRaw(tenant, key, "customer:" + UUID.randomUUID(), -10_000);
            insertRaw(tenant, key, Accounts.merchant(tenant.id()), 9_999);
        })).isInstanceOf(DataAccessException.class).hasMessageContaining("does not balance");
        assertThat(ledger.rows(tenant.id())).isEmpty();
    }

    @Test
    void ledgerRowsAreNeverUpdatedOrDeleted() {
        Tenant tenant = newTenant();
        transactions.executeWithoutResult(s -> ledger.post(payment(tenant, UUID.randomUUID())));
        assertThatThrownBy(() -> jdbc.sql("UPDATE transactions SET amount = amount + 1 WHERE organization_id = ?")
                .param(tenant.id()).update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM transactions WHERE organization_id = ?")
                .param(tenant.id()).update()).hasMessageContaining("append-only");
        assertThat(ledger.merchantBalance(tenant.id(), "usd")).isEqualTo(9_600);
    }

    private void insertRaw(Tenant tenant, UUID key, String account, long amount) {
        jdbc.sql("""
                        INSERT INTO transactions (id, organization_id, correlation_key, type, account, amount, currency,
                                                  created_at)
                        VALUES (gen_random_uuid(), ?, ?, 'payment', ?, ?, 'usd', now())""")
                .param(tenant.id()).param(key).param(account).param(amount).update();
    }
}
