package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import net.dv8tion.jda.api.Permission;
import org.junit.jupiter.api.Test;

/** The README's invite URL asks for exactly the permissions the bot uses, computed from JDA's permission list. */
class DiscordSetupTest {
    /** What the bot does in a channel: see it, post and edit cards (also in threads), with images, read links. */
    static final EnumSet<Permission> NEEDED = EnumSet.of(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
            Permission.MESSAGE_SEND_IN_THREADS, Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_ATTACH_FILES,
            Permission.MESSAGE_HISTORY);

    @Test
    void theReadmesInviteUrlCarriesTheComputedPermissionInteger() throws Exception {
        long bits = Permission.getRaw(NEEDED);
        assertEquals(274878024704L, bits);
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("scope=bot+applications.commands&permissions=" + bits),
                "README invite URL with permissions=" + bits);
        for (String flag : new String[] {"--discord-token-file", "--discord-guild", "--bot-owner", "--bot-vqgan",
                "--bot-models", "--bot-clip", "Public Bot off"}) {
            assertTrue(readme.contains(flag), "README names " + flag);
        }
    }
}
