package dev.mailsec.webadmin;

import org.apache.james.webadmin.authentication.AuthenticationFilter;
import spark.Request;

/**
 * Who calls a route, as James's WebAdmin authenticated them: the JWT subject its {@code JwtFilter}
 * put in the request ({@link AuthenticationFilter#LOGIN}), or, when {@code jwt.enabled} is off
 * (James's {@code NoAuthenticationFilter}, WebAdmin open to whoever reaches its port), the
 * unauthenticated operator. This is what DKM's and the rights store's audit records name.
 */
final class Caller {
    static final String UNAUTHENTICATED = "webadmin:unauthenticated";

    private Caller() {}

    static String of(Request request) {
        Object login = request.attribute(AuthenticationFilter.LOGIN);
        if (login == null || login.toString().isBlank()) {
            return UNAUTHENTICATED;
        }
        return "webadmin:" + login;
    }
}
