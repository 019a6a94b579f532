package dev.vqclip.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/** Every path and query parameter is checked before use; a bad one is a 400 that says what was expected. */
final class PathParams {
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");

    private PathParams() {
    }

    static long jobId(Context ctx) {
        return id(ctx, "id", "a job id");
    }

    /** A positive id from the path parameter {@code name}; {@code what} names it in the refusal. */
    static long id(Context ctx, String name, String what) {
        String raw = ctx.pathParam(name);
        if (!ID.matcher(raw).matches()) {
            throw new BadRequestResponse(what + " is a positive whole number of at most 18 digits, got '" + clip(raw) + "'");
        }
        return Long.parseLong(raw);
    }

    /** A contest entry's number on the ballot (1..9999). */
    static int ballotNumber(Context ctx) {
        String raw = ctx.pathParam("number");
        if (!raw.matches("[1-9][0-9]{0,3}")) {
            throw new BadRequestResponse("an entry number is a whole number from 1 to 9999, got '" + clip(raw) + "'");
        }
        return Integer.parseInt(raw);
    }

    /** The 1-based page number, 1 when absent. */
    static int page(Context ctx) {
        String raw = ctx.queryParam("page");
        if (raw == null || raw.isEmpty()) {
            return 1;
        }
        if (!raw.matches("[1-9][0-9]{0,5}")) {
            throw new BadRequestResponse("page must be a whole number from 1 to 999999, got '" + clip(raw) + "'");
        }
        return Integer.parseInt(raw);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
