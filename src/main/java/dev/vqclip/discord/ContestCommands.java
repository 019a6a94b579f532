package dev.vqclip.discord;

import dev.vqclip.contest.Ballot;
import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestService;
import dev.vqclip.contest.EntryTemplate;
import dev.vqclip.contest.NewContest;
import dev.vqclip.contest.RenderRules;
import dev.vqclip.contest.SeedRule;
import dev.vqclip.job.UserRef;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.interactions.IntegrationType;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/** /contest start|cancel|extend|enter|submit|leaderboard|show, and the ballot's vote buttons. */
final class ContestCommands {
    static final String NAME = "contest";
    private static final String VOTE_PREFIX = "contest:vote:";
    private static final Pattern VOTE_ID = Pattern.compile("contest:vote:(\\d+):(\\d+)");
    private static final String PLATFORM = Requester.PLATFORM;

    private final ContestService contests;
    private final ContestAnnouncer announcer;
    private final SecureRandom seeds = new SecureRandom();

    ContestCommands(ContestService contests, ContestAnnouncer announcer) {
        this.contests = contests;
        this.announcer = announcer;
    }

    static SlashCommandData command(List<String> models) {
        OptionData model = new OptionData(OptionType.STRING, "model", "VQGAN model every entry uses");
        models.forEach(m -> model.addChoice(m, m));
        OptionData id = new OptionData(OptionType.INTEGER, "id", "Contest number (default: the open one)");
        return Commands.slash(NAME, "Prompt contests: same rules for everyone, blind votes")
                .setContexts(InteractionContextType.GUILD)
                .addSubcommands(
                        new SubcommandData("start", "Start a contest (Manage Server)")
                                .addOption(OptionType.STRING, "theme", "What to draw", true)
                                .addOption(OptionType.STRING, "entries_end", "Entries close at, e.g. 2026-12-08 18:00 (UTC)", true)
                                .addOption(OptionType.STRING, "voting_end", "Voting closes at, e.g. 2026-12-09 18:00 (UTC)", true)
                                .addOptions(model,
                                        new OptionData(OptionType.STRING, "size", "Width x height for every entry"),
                                        new OptionData(OptionType.INTEGER, "iterations", "Steps for every entry"),
                                        new OptionData(OptionType.INTEGER, "cutouts", "Cutouts per step"),
                                        new OptionData(OptionType.STRING, "seed_rule", "One seed for all, or one per entry")
                                                .addChoice("shared", "shared").addChoice("per_entry", "per_entry"),
                                        new OptionData(OptionType.INTEGER, "seed", "The shared seed (default: drawn)"),
                                        new OptionData(OptionType.INTEGER, "entries_per_member", "Default 1")
                                                .setRequiredRange(1, NewContest.MAX_ENTRIES_PER_MEMBER),
                                        new OptionData(OptionType.INTEGER, "votes_per_member", "Default 1")
                                                .setRequiredRange(1, NewContest.MAX_VOTES_PER_MEMBER)),
                        new SubcommandData("cancel", "Cancel a contest (Manage Server)").addOptions(id.setRequired(true)),
                        new SubcommandData("extend", "Move a contest's end times later (Manage Server)")
                                .addOptions(new OptionData(OptionType.INTEGER, "id", "Contest number", true))
                                .addOption(OptionType.STRING, "entries_end", "New end of entries")
                                .addOption(OptionType.STRING, "voting_end", "New end of voting"),
                        new SubcommandData("enter", "Enter a prompt; the bot renders it under the contest's rules")
                                .addOption(OptionType.STRING, "prompt", "Your prompt", true)
                                .addOptions(new OptionData(OptionType.INTEGER, "id", "Contest number"),
                                        new OptionData(OptionType.STRING, "size", "Must match the rules"),
                                        new OptionData(OptionType.INTEGER, "iterations", "Must match the rules"),
                                        new OptionData(OptionType.INTEGER, "seed", "Must match the rules")),
                        new SubcommandData("submit", "Enter an image you made earlier with this bot")
                                .addOption(OptionType.ATTACHMENT, "image", "The original PNG", true)
                                .addOptions(new OptionData(OptionType.INTEGER, "id", "Contest number")),
                        new SubcommandData("leaderboard", "This server's all-time contest table"),
                        new SubcommandData("show", "Show a contest, with its results once closed")
                                .addOptions(new OptionData(OptionType.INTEGER, "id", "Contest number", true)))
                .setLocalizationFunction(CommandCatalog.localization())
                .setIntegrationTypes(IntegrationType.GUILD_INSTALL);
    }

    void handle(SlashCommandInteractionEvent event, InteractionReply reply) {
        if (event.getGuild() == null || event.getMember() == null) {
            reply.send("Contests belong to a server: use /contest there.");
            return;
        }
        String guildId = event.getGuild().getId();
        Member member = event.getMember();
        UserRef me = new UserRef(PLATFORM, member.getId(), member.getEffectiveName());
        String sub = event.getSubcommandName() == null ? "" : event.getSubcommandName();
        switch (sub) {
            case "start" -> reply.send(start(event, guildId, requireAdmin(member)));
            case "cancel" -> {
                requireAdmin(member);
                Contest c = contests.cancel(longOption(event, "id"), guildId);
                announcer.post(c.channelId(), "🚫 Contest #" + c.id() + " (" + CardRenderer.escape(c.theme())
                        + ") was cancelled by " + member.getAsMention() + ".");
                reply.send("Contest #" + c.id() + " is cancelled.");
            }
            case "extend" -> {
                requireAdmin(member);
                Contest c = contests.extend(longOption(event, "id"), guildId,
                        ContestTimes.parse("entries_end", event.getOption("entries_end", OptionMapping::getAsString)),
                        ContestTimes.parse("voting_end", event.getOption("voting_end", OptionMapping::getAsString)));
                announcer.post(c.channelId(), "⏳ Contest #" + c.id() + " now takes entries until "
                        + ContestTimes.tag(c.entryEnd(), 'R') + " and votes until " + ContestTimes.tag(c.voteEnd(), 'R')
                        + ".");
                reply.send("Contest #" + c.id() + " extended.");
            }
            case "enter" -> {
                Contest c = contests.resolve(event.getOption("id", OptionMapping::getAsLong), guildId);
                var receipt = contests.enter(c.id(), guildId, me, event.getOption("prompt", OptionMapping::getAsString),
                        event.getOption("size", OptionMapping::getAsString),
                        event.getOption("iterations", OptionMapping::getAsInt),
                        event.getOption("seed", OptionMapping::getAsLong), event.getId());
                reply.send("✅ Your entry to contest #" + c.id() + " is rendering as job `" + receipt.entry().jobId()
                        + "` (" + (receipt.position() == 0 ? "starting now" : "position " + receipt.position())
                        + ") under the contest's rules. It stays hidden until voting opens "
                        + ContestTimes.tag(c.entryEnd(), 'R') + ".");
            }
            case "submit" -> {
                Contest c = contests.resolve(event.getOption("id", OptionMapping::getAsLong), guildId);
                Message.Attachment image = event.getOption("image", OptionMapping::getAsAttachment);
                ImageInput bytes = ImagineFlow.download(image);
                var entry = contests.submit(c.id(), guildId, me, bytes.bytes());
                reply.send("✅ Job `" + entry.jobId() + "` is your entry to contest #" + c.id()
                        + ": made by you under the contest's rules inside the entry window. It stays hidden until "
                        + "voting opens.");
            }
            case "leaderboard" -> reply.send(ContestView.leaderboard(contests.reads().leaderboard(guildId)));
            case "show" -> show(event, guildId, reply);
            default -> reply.send("I do not know /contest " + sub + ".");
        }
    }

    private String start(SlashCommandInteractionEvent event, String guildId, Member admin) {
        EntryTemplate t = contests.template();
        String model = Optional.ofNullable(event.getOption("model", OptionMapping::getAsString)).orElse(t.models().get(0));
        int[] size = size(event.getOption("size", OptionMapping::getAsString), t);
        int iterations = Optional.ofNullable(event.getOption("iterations", OptionMapping::getAsInt)).orElse(t.iterations());
        int cutn = Optional.ofNullable(event.getOption("cutouts", OptionMapping::getAsInt)).orElse(t.cutn());
        Long seed = event.getOption("seed", OptionMapping::getAsLong);
        SeedRule rule = "per_entry".equals(event.getOption("seed_rule", OptionMapping::getAsString))
                ? SeedRule.PER_ENTRY : SeedRule.SHARED;
        if (rule == SeedRule.PER_ENTRY && seed != null) {
            throw new IllegalArgumentException("seed: a contest with a seed per entry takes no shared seed");
        }
        RenderRules rules = new RenderRules(model, size[0], size[1], iterations, cutn, rule,
                seed != null ? seed : seeds.nextLong() & Long.MAX_VALUE);
        NewContest request = new NewContest(guildId, event.getChannel().getId(),
                event.getOption("theme", OptionMapping::getAsString), rules,
                Optional.ofNullable(event.getOption("entries_per_member", OptionMapping::getAsInt)).orElse(1),
                Optional.ofNullable(event.getOption("votes_per_member", OptionMapping::getAsInt)).orElse(1),
                ContestTimes.parse("entries_end", event.getOption("entries_end", OptionMapping::getAsString)),
                ContestTimes.parse("voting_end", event.getOption("voting_end", OptionMapping::getAsString)),
                PLATFORM + ":" + admin.getId());
        Contest c = contests.start(request);
        announcer.post(c.channelId(), ContestView.announcement(c)).ifPresent(id -> contests.announced(c.id(), id));
        return "Contest #" + c.id() + " is announced below.";
    }

    private static int[] size(String text, EntryTemplate t) {
        if (text == null) {
            return new int[] {t.width(), t.height()};
        }
        Matcher m = Pattern.compile("(\\d{1,4})x(\\d{1,4})").matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("size: give width x height, e.g. 256x256, got '" + text + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private void show(SlashCommandInteractionEvent event, String guildId, InteractionReply reply) {
        Contest c = contests.resolve(longOption(event, "id"), guildId);
        var results = contests.reads().results(c.id());
        if (results.isPresent()) {
            reply.send(ContestView.results(results.get(), c.note()));
            return;
        }
        int entries = (int) contests.reads().entries(c.id()).stream()
                .filter(e -> !e.withdrawn() && (c.phase() != dev.vqclip.contest.Phase.VOTING || e.ballotNumber() != null))
                .count();
        reply.send(ContestView.status(c, entries));
    }

    private static Member requireAdmin(Member member) {
        if (!member.hasPermission(Permission.MANAGE_SERVER)) {
            throw new IllegalArgumentException("Manage Server: only members with the Manage Server permission in this "
                    + "server can start, cancel or extend contests");
        }
        return member;
    }

    private static long longOption(SlashCommandInteractionEvent event, String name) {
        Long v = event.getOption(name, OptionMapping::getAsLong);
        if (v == null) {
            throw new IllegalArgumentException("give the contest's number with " + name + ":");
        }
        return v;
    }

    // ---- votes ---------------------------------------------------------------------------------------------

    static boolean isVote(String customId) {
        return customId.startsWith(VOTE_PREFIX);
    }

    static String voteId(long contestId, int number) {
        return VOTE_PREFIX + contestId + ":" + number;
    }

    void vote(ButtonInteractionEvent event, InteractionReply reply) {
        Matcher m = VOTE_ID.matcher(event.getComponentId());
        if (!m.matches()) {
            reply.send("That button is not a vote I understand.");
            return;
        }
        long contestId = Long.parseLong(m.group(1));
        int number = Integer.parseInt(m.group(2));
        User user = event.getUser();
        Member member = event.getMember();
        String guildId = event.getGuild() == null || member == null ? null : event.getGuild().getId();
        UserRef voter = new UserRef(PLATFORM, user.getId(), member != null ? member.getEffectiveName()
                : user.getEffectiveName());
        Ballot.Click click = contests.vote(contestId, guildId, voter, number);
        List<Integer> mine = contests.ballotNumbersOf(contestId, voter.key());
        String now = mine.isEmpty() ? "You have no vote in contest #" + contestId + " now."
                : "Your votes in contest #" + contestId + ": " + mine.stream().map(n -> "#" + n).toList() + ".";
        reply.send(switch (click.kind()) {
            case ADDED -> "🗳 Vote for #" + number + " recorded. " + now;
            case MOVED -> "🗳 Your vote moved to #" + number + ". " + now;
            case TAKEN_BACK -> "↩ Vote for #" + number + " taken back. " + now;
        } + " You can change it until the close; counts stay hidden until then.");
    }
}
