package dev.mailsec.webadmin;

import static org.apache.james.webadmin.utils.ErrorResponder.ErrorType.INVALID_ARGUMENT;
import static org.apache.james.webadmin.utils.ErrorResponder.ErrorType.NOT_FOUND;
import static org.apache.james.webadmin.utils.ErrorResponder.ErrorType.SERVER_ERROR;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.james.webadmin.utils.ErrorResponder;
import spark.HaltException;
import spark.Request;

/**
 * JSON answers and errors the way James's WebAdmin gives them ({@link ErrorResponder}: {@code
 * statusCode}, {@code type}, {@code message}): 400 names the parameter, 404 the unknown id, 503 the
 * store that cannot be reached. Messages come from our engines, which never put a secret value in
 * one; no exception's cause chain is copied into an answer.
 */
final class Answers {
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Answers() {}

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the answer: " + e.getMessage(), e);
        }
    }

    static HaltException badRequest(String parameter, String problem) {
        return ErrorResponder.builder()
                .statusCode(400)
                .type(INVALID_ARGUMENT)
                .message(parameter + ": " + problem)
                .haltError();
    }

    /**
     * 400 with {@code message} as it stands (a configuration file's error, as the start gives it).
     */
    static HaltException invalid(String message) {
        return ErrorResponder.builder()
                .statusCode(400)
                .type(INVALID_ARGUMENT)
                .message(message)
                .haltError();
    }

    static HaltException notFound(String message) {
        return ErrorResponder.builder()
                .statusCode(404)
                .type(NOT_FOUND)
                .message(message)
                .haltError();
    }

    static HaltException unavailable(String message) {
        return ErrorResponder.builder()
                .statusCode(503)
                .type(SERVER_ERROR)
                .message(message)
                .haltError();
    }

    static HaltException refused(String message) {
        return ErrorResponder.builder()
                .statusCode(403)
                .type(INVALID_ARGUMENT)
                .message(message)
                .haltError();
    }

    static HaltException serverError(String message) {
        return ErrorResponder.builder()
                .statusCode(500)
                .type(SERVER_ERROR)
                .message(message)
                .haltError();
    }

    /**
     * A path parameter: Spark hands it over still percent-encoded ({@code dkim%2Fexample.test}); a
     * value that does not decode is a 400 naming the parameter.
     */
    static String pathParameter(Request request, String name) {
        String raw = request.params(name);
        if (raw == null || raw.isBlank()) {
            throw badRequest(name, "required");
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badRequest(name, "not a percent-encoded value: '" + raw + "'");
        }
    }
}
