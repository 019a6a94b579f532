package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import java.net.URI;

/** One failed try: why, from where, and whether resuming from the same url makes sense. */
final class AttemptFailed extends Exception {
    final Reason reason;
    final URI url;
    final boolean resumable;

    AttemptFailed(Reason reason, URI url, String message, boolean resumable) {
        // the url and reason are the whole story; a stack trace of the retry loop adds nothing
        super(message, null, false, false);
        this.reason = reason;
        this.url = url;
        this.resumable = resumable;
    }
}
