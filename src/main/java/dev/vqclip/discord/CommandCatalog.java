package dev.vqclip.discord;

import java.util.List;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.IntegrationType;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.localization.LocalizationFunction;
import net.dv8tion.jda.api.interactions.commands.localization.ResourceBundleLocalizationFunction;

/**
 * The bot's slash commands. English is the default text; other locales come from the resource bundle
 * {@code discord/commands_<locale>.properties}, with the keys JDA looks up: {@code command.description},
 * {@code command.options.option.description}, {@code command.subcommand.description} and
 * {@code command.subcommand.options.option.description}.
 */
final class CommandCatalog {
    static final String IMAGINE = "imagine";
    static final String QUEUE = "queue";
    static final String CANCEL = "cancel";
    static final String DECODE = "decode";
    static final String INFO = "info";
    static final String HISTORY = "history";
    static final String SHOW = "show";
    static final String ADMIN = "admin";
    static final String GLOBAL = "global";

    private CommandCatalog() {
    }

    /** The shipped translations of command descriptions (discord/commands_*.properties), in JDA's key form. */
    static LocalizationFunction localization() {
        return ResourceBundleLocalizationFunction.fromBundles("discord/commands", DiscordLocale.FRENCH).build();
    }

    /** @param maxIterations the job system's limit, so Discord's own check says the same */
    static List<SlashCommandData> commands(List<String> models, int maxIterations) {
        LocalizationFunction fr = localization();
        OptionData model = new OptionData(OptionType.STRING, "model", "VQGAN model");
        models.forEach(m -> model.addChoice(m, m));
        SlashCommandData imagine = Commands.slash(IMAGINE, "Draw an image from a text prompt")
                .addOption(OptionType.STRING, "prompt", "What to draw; weights as text:1.5|other:-0.5", true)
                .addOptions(new OptionData(OptionType.INTEGER, "seed", "Random seed (same seed, same image)"),
                        new OptionData(OptionType.STRING, "size", "Width x height, e.g. 512x512"),
                        new OptionData(OptionType.STRING, "aspect", "Aspect ratio instead of a size")
                                .addChoice("1:1", "1:1").addChoice("4:3", "4:3").addChoice("3:4", "3:4")
                                .addChoice("16:9", "16:9").addChoice("9:16", "9:16"),
                        new OptionData(OptionType.INTEGER, "iterations", "Optimisation steps")
                                .setRequiredRange(1, maxIterations),
                        new OptionData(OptionType.ATTACHMENT, "init_image", "Start from this image"),
                        new OptionData(OptionType.ATTACHMENT, "target_image", "Pull the result towards this image"),
                        model,
                        new OptionData(OptionType.STRING, "drawer", "How pixels are made")
                                .addChoice("vqgan", "vqgan").addChoice("pixel", "pixel"));
        SlashCommandData admin = Commands.slash(ADMIN, "Operate the bot on this server")
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                .setContexts(InteractionContextType.GUILD)
                .addSubcommands(new SubcommandData("pause", "Refuse new jobs from this server"),
                        new SubcommandData("resume", "Accept jobs from this server again"),
                        new SubcommandData("ban", "Refuse a user's jobs")
                                .addOption(OptionType.USER, "user", "Who", true),
                        new SubcommandData("unban", "Accept a user's jobs again")
                                .addOption(OptionType.USER, "user", "Who", true),
                        new SubcommandData("limits", "Set per-user limits")
                                .addOption(OptionType.INTEGER, "max_running", "Jobs running at once per user")
                                .addOption(OptionType.INTEGER, "max_queued", "Jobs waiting per user")
                                .addOption(OptionType.NUMBER, "gpu_seconds", "GPU seconds per window per user"),
                        new SubcommandData("block", "Refuse prompts with this word")
                                .addOption(OptionType.STRING, "word", "The word", true),
                        new SubcommandData("unblock", "Allow this word again")
                                .addOption(OptionType.STRING, "word", "The word", true));
        // bot owners act on every server at once; everyone else's /admin stays inside their server
        admin.getSubcommands().forEach(sub -> sub.addOption(OptionType.BOOLEAN, GLOBAL,
                "Every server: the bot's global settings (bot owners only)"));
        List<SlashCommandData> all = List.of(
                imagine,
                Commands.slash(QUEUE, "Your queued and running jobs, positions and ETA"),
                Commands.slash(CANCEL, "Cancel one of your jobs")
                        .addOption(OptionType.STRING, "job", "Job id (default: your newest active job)"),
                Commands.slash(DECODE, "Read the recipe hidden in a vqclip image")
                        .addOption(OptionType.ATTACHMENT, "image", "The image")
                        .addOption(OptionType.STRING, "link", "Or a link to a message with the image"),
                Commands.slash(INFO, "Your quota, usage and limits"),
                Commands.slash(HISTORY, "Your recent jobs"),
                Commands.slash(SHOW, "Bring a job back here, with working buttons")
                        .addOption(OptionType.STRING, "job", "Job id", true),
                admin);
        // said explicitly rather than left to JDA's defaults: everything but /admin works in the bot's DMs too
        // (cards there go to the DM channel); the bot is installed in servers, never on a user's account
        all.forEach(c -> c.setLocalizationFunction(fr).setIntegrationTypes(IntegrationType.GUILD_INSTALL));
        all.stream().filter(c -> c != admin)
                .forEach(c -> c.setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM));
        return all;
    }
}
