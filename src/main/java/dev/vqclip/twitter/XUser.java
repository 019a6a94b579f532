package dev.vqclip.twitter;

/** An X account: its numeric id and its handle (without the @). */
public record XUser(String id, String username) {
    public XUser {
        if (id == null || !id.matches("\\d{1,20}")) {
            throw new IllegalArgumentException("an X user id is 1-20 digits, got '" + id + "'");
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("an X user needs a handle, got '" + username + "' for " + id);
        }
    }
}
