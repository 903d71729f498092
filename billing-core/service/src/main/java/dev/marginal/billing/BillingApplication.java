package dev.marginal.billing;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** billing-core: the transactional source of truth that every warehouse table is derived from. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BillingApplication {

    public static void main(String[] args) {
        SpringApplication.run(BillingApplication.class, args);
    }

    /** One clock for every "now" the rules depend on, so tests can pin it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
