package dev.marginal.billing.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import dev.marginal.billing.problem.ValidationError;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies as JSON trees with exact numbers: every fraction is a {@code BigDecimal}
 * with the scale the client wrote (never a {@code double}), duplicate keys are an error, and the
 * body is bounded before it is buffered.
 */
@Component
public class JsonBody {

    /** The exact-number mapper; also the one to write stored JSON (metadata) with. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /**
     * Parses at most {@code maxBytes}; a larger body is a 413 whether or not it declared its length.
     *
     * @return the tree, or {@code null} for an empty body (the caller says what was required)
     */
    public JsonNode read(HttpServletRequest request, int maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new ApiException(ProblemType.BAD_REQUEST, "The request body could not be read.");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return parse(bytes);
    }

    public static JsonNode parse(byte[] bytes) {
        if (isBlank(bytes)) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null || at == TokenStreamLocation.NA ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            long offset = at == null ? -1 : Math.max(at.getByteOffset(), at.getCharOffset());
            String reason = e.getOriginalMessage() == null ? "invalid JSON" : firstLine(e.getOriginalMessage());
            throw new ApiException(ProblemType.MALFORMED_JSON, "JSON decode error" + where + ": " + reason,
                    List.of(new ValidationError(List.of("body", Math.max(offset, 0)), "JSON decode error",
                            "json_invalid")));
        }
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(ProblemType.PAYLOAD_TOO_LARGE,
                "The request body exceeds " + maxBytes + " bytes; split it into smaller batches.");
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Jackson's first sentence, without its source-location appendix (we report the location ourselves). */
    private static String firstLine(String message) {
        String line = message;
        for (String appendix : new String[] {"\n", " (start marker at", " at [Source"}) {
            int at = line.indexOf(appendix);
            if (at >= 0) {
                line = line.substring(0, at);
            }
        }
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
