package dev.marginal.billing.discount;

import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.http.Body;
import dev.marginal.billing.problem.Violations;

/** Redeeming a discount for a new subscription, under Polar's restrictions. */
@Service
public class Discounts {

    private final DiscountRepository repository;

    public Discounts(DiscountRepository repository) {
        this.repository = repository;
    }

    /**
     * Checks that the discount can be redeemed for this sale and records the redemption, under a
     * lock on the discount so {@code max_redemptions} holds under concurrent sales. A refusal is a
     * 422 at {@code discount_id}, and the caller's transaction rolls back whole.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void redeem(UUID organizationId, UUID discountId, UUID subscriptionId, UUID customerId, UUID productId,
                       String currency, Instant now) {
        Violations violations = new Violations();
        StoredDiscount discount = repository.lock(organizationId, discountId).orElse(null);
        String why;
        if (discount == null) {
            why = "Discount does not exist.";
        } else if (!discount.productIds().isEmpty() && !discount.productIds().contains(productId)) {
            why = "The discount does not apply to this product";
        } else if (discount.type().equals("fixed") && !discount.amounts().containsKey(currency)) {
            why = "The discount has no amount in " + currency;
        } else {
            why = discount.whyNotRedeemable(now);
        }
        if (why != null) {
            violations.add(Body.loc("discount_id"), why, "value_error");
            violations.throwIfAny();
        }
        repository.redeem(discountId, subscriptionId, customerId, now);
    }
}
