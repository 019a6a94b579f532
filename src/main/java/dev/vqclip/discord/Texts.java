package dev.vqclip.discord;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import net.dv8tion.jda.api.interactions.DiscordLocale;

/**
 * What the bot says, in one Discord locale: the bundle {@code discord/replies_<locale>.properties}, falling back to
 * the English base bundle (never to the JVM's default locale). {@code {0}}, {@code {1}}… in a text are replaced by
 * the values given, which are put in as they are (no MessageFormat: apostrophes stay apostrophes).
 */
final class Texts {
    private static final String BUNDLE = "discord/replies";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    static final Texts ENGLISH = of(DiscordLocale.ENGLISH_US);

    private final DiscordLocale locale;
    private final ResourceBundle bundle;

    private Texts(DiscordLocale locale, ResourceBundle bundle) {
        this.locale = locale;
        this.bundle = bundle;
    }

    /** The texts for {@code locale}; English for a locale without a translation (or unknown). */
    static Texts of(DiscordLocale locale) {
        DiscordLocale l = locale == null || locale == DiscordLocale.UNKNOWN ? DiscordLocale.ENGLISH_US : locale;
        return new Texts(l, ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(l.getLocale()), NO_FALLBACK));
    }

    DiscordLocale locale() {
        return locale;
    }

    /** The text of {@code key} with {@code {i}} replaced by {@code values[i]}. */
    String get(String key, Object... values) {
        String text;
        try {
            text = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no bot text '" + key + "' in " + BUNDLE + " for " + locale, e);
        }
        for (int i = 0; i < values.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(values[i]));
        }
        return text;
    }
}
