package dev.vqclip.discord.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The data of one slash command invocation, built the way Discord sends it (option types from the API docs). */
public final class SlashCommand {
    private static final int SUB_COMMAND = 1;
    private static final int STRING = 3;
    private static final int INTEGER = 4;
    private static final int BOOLEAN = 5;
    private static final int USER = 6;
    private static final int ATTACHMENT = 11;

    final String name;
    final ArrayNode options = Fixtures.JSON.createArrayNode();
    final Map<String, byte[]> attachments = new LinkedHashMap<>();
    private ArrayNode target = options;

    private SlashCommand(String name) {
        this.name = name;
    }

    public static SlashCommand of(String name) {
        return new SlashCommand(name);
    }

    public SlashCommand subcommand(String sub) {
        ObjectNode o = target.addObject().put("name", sub).put("type", SUB_COMMAND);
        target = o.putArray("options");
        return this;
    }

    public SlashCommand string(String option, String value) {
        target.addObject().put("name", option).put("type", STRING).put("value", value);
        return this;
    }

    public SlashCommand integer(String option, long value) {
        target.addObject().put("name", option).put("type", INTEGER).put("value", value);
        return this;
    }

    public SlashCommand bool(String option, boolean value) {
        target.addObject().put("name", option).put("type", BOOLEAN).put("value", value);
        return this;
    }

    public SlashCommand user(String option, FakeUser user) {
        target.addObject().put("name", option).put("type", USER).put("value", Long.toString(user.id()));
        return this;
    }

    /** An attachment option; the fake stores the bytes and serves them at the attachment's URL. */
    public SlashCommand attachment(String option, String filename, byte[] bytes) {
        target.addObject().put("name", option).put("type", ATTACHMENT).put("value", filename);
        attachments.put(filename, bytes);
        return this;
    }
}
