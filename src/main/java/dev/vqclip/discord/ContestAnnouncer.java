package dev.vqclip.discord;

import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestService;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.Standing;
import dev.vqclip.contest.Transition;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts what contests say in their channel: announcements, the ballot (one message per entry, its blind image and a
 * vote button) and the results with the winning image. Runs on the schedule's thread, so it may block on REST.
 */
final class ContestAnnouncer implements Consumer<Transition> {
    private static final Logger LOG = LoggerFactory.getLogger(ContestAnnouncer.class);

    private final JDA jda;
    private final ContestService contests;

    ContestAnnouncer(JDA jda, ContestService contests) {
        this.jda = jda;
        this.contests = contests;
    }

    /** Posts a text message; empty (and logged) when the channel is gone or refuses the bot. */
    Optional<String> post(String channelId, String text) {
        return send(channelId, new MessageCreateBuilder().setContent(text));
    }

    private Optional<String> send(String channelId, MessageCreateBuilder message) {
        GuildMessageChannel channel = jda.getChannelById(GuildMessageChannel.class, channelId);
        if (channel == null) {
            LOG.warn("contest channel {} is not visible to the bot; message dropped", channelId);
            return Optional.empty();
        }
        try {
            return Optional.of(channel.sendMessage(message.build()).complete().getId());
        } catch (RuntimeException e) {
            LOG.warn("could not post in contest channel {}: {}", channelId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void accept(Transition t) {
        Contest c = t.contest();
        if (t instanceof Transition.VotingOpened v) {
            post(c.channelId(), ContestView.votingOpened(c, v.ballot(), v.leftOut(), v.note()));
            for (Entry e : v.ballot()) {
                send(c.channelId(), new MessageCreateBuilder().setContent(ContestView.ballotEntry(c, e))
                        .addFiles(FileUpload.fromData(contests.ballotImage(e), "entry-" + e.ballotNumber() + ".png"))
                        .setComponents(List.of(ActionRow.of(Button.primary(
                                ContestCommands.voteId(c.id(), e.ballotNumber()), "Vote #" + e.ballotNumber())))));
            }
        } else if (t instanceof Transition.Closed closed) {
            MessageCreateBuilder message = new MessageCreateBuilder()
                    .setContent(ContestView.results(closed.results(), closed.note()));
            Optional<Standing> winner = closed.results().winner();
            winner.flatMap(w -> contests.resultImage(w.entry())).ifPresent(png -> message.addFiles(
                    FileUpload.fromData(png, "winner-contest-" + c.id() + ".png")));
            send(c.channelId(), message);
        }
    }
}
