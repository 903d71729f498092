package dev.marginal.billing.invoice;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The capability in an invoice URL: an HMAC-SHA256 of the order id and its invoice number under
 * the service's secret ({@code marginal.invoice.signing-secret}). The URL is what Polar's
 * {@code OrderInvoice.url} gives a customer: it opens without a token, so the signature is the
 * whole of the access check, and it is compared in constant time so its bytes cannot be guessed
 * one by one from response times. The invoice number is signed too, so no link exists before the
 * invoice does.
 */
@Component
public class InvoiceLinks {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceLinks.class);
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_SECRET_BYTES = 32;

    private final SecretKeySpec key;

    public InvoiceLinks(@Value("${marginal.invoice.signing-secret:}") String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (secret.isBlank()) {
            // Without a configured secret the links still work, but only until the next restart:
            // safe by default, and the warning says what to set.
            LOG.warn("marginal.invoice.signing-secret (MARGINAL_INVOICE_SIGNING_SECRET) is not set: invoice URLs"
                    + " are signed with a random key and stop working when the service restarts");
            bytes = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(bytes);
        } else if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("marginal.invoice.signing-secret must be at least " + MIN_SECRET_BYTES
                    + " bytes");
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The path of the invoice's HTML, relative to the service's root. */
    public String path(UUID orderId, String invoiceNumber) {
        return "/v1/orders/" + orderId + "/invoice/" + signature(orderId, invoiceNumber);
    }

    /** Whether {@code signature} is this service's for the order and number; malformed is simply false. */
    public boolean verify(UUID orderId, String invoiceNumber, String signature) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(orderId, invoiceNumber), given);
    }

    String signature(UUID orderId, String invoiceNumber) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(orderId, invoiceNumber));
    }

    private byte[] mac(UUID orderId, String invoiceNumber) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // A versioned, delimited message, so a signature for one purpose never fits another.
            return mac.doFinal(("order-invoice:v1:" + orderId + ":" + invoiceNumber).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
