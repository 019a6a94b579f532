package dev.vqclip.twitter;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The prompt inside a mention, and the texts of the bot's replies (X allows 280 characters). */
final class MentionText {
    /** The handles X puts before a reply's text, and any typed at the start. */
    private static final Pattern LEADING_HANDLES = Pattern.compile("^(?:\\s*@\\w{1,15}\\b)+");
    static final int MAX_POST = 280;
    /** Room left for the prompt in a reply: CJK characters weigh 2 on X, so keep well under the limit. */
    static final int MAX_PROMPT_IN_REPLY = 180;

    private MentionText() {
    }

    /** The mention's text without the leading handles and without the bot's own handle anywhere. */
    static String prompt(String text, String botHandle) {
        String body = LEADING_HANDLES.matcher(unescape(text)).replaceFirst("");
        body = Pattern.compile("(?i)(?<![\\w@])@" + Pattern.quote(botHandle) + "\\b").matcher(body).replaceAll(" ");
        return body.replaceAll("\\s+", " ").strip();
    }

    /** Whether the bot's handle is typed in the body, beyond the handles X puts before a reply. */
    static boolean mentionsInBody(String text, String botHandle) {
        String body = LEADING_HANDLES.matcher(unescape(text)).replaceFirst("");
        return body.toLowerCase(Locale.ROOT).matches("(?s).*(?<![\\w@])@" + Pattern.quote(botHandle.toLowerCase(Locale.ROOT))
                + "\\b.*");
    }

    /** {@code “a lighthouse at dusk” · seed 42 · #1234}. */
    static String reply(String prompt, long seed, long jobId) {
        return "“" + XApi.cut(prompt, MAX_PROMPT_IN_REPLY) + "” · seed " + seed + " · #" + jobId;
    }

    static String altText(String prompt, long seed, long jobId) {
        return XApi.cut("VQGAN+CLIP image for the prompt “" + prompt + "” (seed " + seed + ", job #" + jobId + ")", 1000);
    }

    static String failed(String reason, long jobId) {
        return XApi.cut("Sorry, no image this time: " + (reason == null ? "the job stopped" : reason), MAX_POST - 12)
                + " · #" + jobId;
    }

    /** Addressed to the author, so two users refused for the same reason do not get identical (duplicate) posts. */
    static String refusal(String author, String reason) {
        return XApi.cut((author.startsWith("@") ? author + " sorry" : "Sorry") + ", I can't draw that: " + reason, MAX_POST);
    }

    /** X escapes these three in post text. */
    private static String unescape(String text) {
        Matcher m = Pattern.compile("&(amp|lt|gt);").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, switch (m.group(1)) {
                case "amp" -> "&";
                case "lt" -> "<";
                default -> ">";
            });
        }
        m.appendTail(out);
        return out.toString();
    }
}
