package dev.marginal.billing.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.marginal.billing.MoneyApiTest;

/**
 * A page of subscriptions or orders costs the same number of SQL statements whether it holds 1 item
 * or 50: the embedded customers, products, prices, subscriptions and lines are read for the whole
 * page at once. Statements are counted by a JDBC wrapper around the service's DataSource.
 */
@Import(PageStatementCountApiTest.CountStatements.class)
class PageStatementCountApiTest extends MoneyApiTest {

    static final AtomicLong STATEMENTS = new AtomicLong();
    private static final Set<String> PREPARING = Set.of("prepareStatement", "createStatement", "prepareCall");

    @TestConfiguration
    static class CountStatements {
        @Bean
        static BeanPostProcessor countingDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource source ? counting(source) : bean;
                }
            };
        }
    }

    private static DataSource counting(DataSource source) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                forward(source, (result, method) -> result instanceof Connection connection
                        ? Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                                forward(connection, (inner, m) -> {
                                    if (PREPARING.contains(m.getName())) {
                                        STATEMENTS.incrementAndGet();
                                    }
                                    return inner;
                                }))
                        : result));
    }

    interface After {
        Object apply(Object result, Method method);
    }

    private static InvocationHandler forward(Object target, After after) {
        return (proxy, method, args) -> {
            try {
                return after.apply(method.invoke(target, args), method);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }

    @Test
    void aPageOfFiftySubscriptionsOrOrdersCostsWhatAPageOfOneCosts() {
        Tenant tenant = newTenant();
        String product = product(tenant, 2000);
        for (int i = 0; i < 50; i++) {
            String external = tenant.slug() + "_" + i;
            customer(tenant, external, null);
            Reply sub = post("/v1/subscriptions/", tenant.bearer(),
                    "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + external + "\"}");
            assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        }

        for (String list : new String[] {"/v1/subscriptions/", "/v1/orders/"}) {
            long one = statements(list + "?limit=1", tenant, 1);
            long fifty = statements(list + "?limit=50", tenant, 50);
            assertThat(fifty).as(list + ": statements for 50 items vs for 1").isEqualTo(one);
        }
    }

    private long statements(String path, Tenant tenant, int expectedItems) {
        get(path, tenant.bearer()); // the same request once first, so one-off lookups are not counted
        long before = STATEMENTS.get();
        Reply reply = get(path, tenant.bearer());
        long count = STATEMENTS.get() - before;
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("items").size()).isEqualTo(expectedItems);
        assertThat(reply.json().get("items").get(0).get("customer").get("id").isNull()).isFalse();
        return count;
    }
}
