package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import net.dv8tion.jda.api.Permission;
import org.junit.jupiter.api.Test;

/** The setup guide's invite URL asks for exactly the permissions the bot uses, computed from JDA's permission list. */
class DiscordSetupTest {
    /** What the bot does in a channel: see it, post and edit cards (also in threads), with images, read links. */
    static final EnumSet<Permission> NEEDED = EnumSet.of(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
            Permission.MESSAGE_SEND_IN_THREADS, Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_ATTACH_FILES,
            Permission.MESSAGE_HISTORY);

    @Test
    void theSetupGuidesInviteUrlCarriesTheComputedPermissionInteger() throws Exception {
        long bits = Permission.getRaw(NEEDED);
        assertEquals(274878024704L, bits);
        String guide = Files.readString(Path.of("docs/discord.md"));
        assertTrue(guide.contains("scope=bot+applications.commands&permissions=" + bits),
                "docs/discord.md invite URL with permissions=" + bits);
        for (String flag : new String[] {"--discord-token-file", "--discord-guild", "--bot-owner", "--bot-vqgan",
                "--bot-models", "--bot-clip", "Public Bot off"}) {
            assertTrue(guide.contains(flag), "docs/discord.md names " + flag);
        }
    }
}
