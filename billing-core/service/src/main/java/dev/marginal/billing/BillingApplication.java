package dev.marginal.billing;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.PropertyNamingStrategies;

/** billing-core: the transactional source of truth that every warehouse table is derived from. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BillingApplication {

    public static void main(String[] args) {
        SpringApplication.run(BillingApplication.class, args);
    }

    /**
     * Responses are snake_case like Polar's, and decimals are written as plain digits
     * ({@code 0.000000000001}, never {@code 1E-12}), so a cost reads the same in every client.
     */
    @Bean
    JsonMapperBuilderCustomizer polarJson() {
        return builder -> builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);
    }

    /** One clock for every "now" the rules depend on, so tests can pin it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
