package dev.vqclip.job;

/**
 * Who may see a job outside the place it was asked for. Only PUBLIC jobs appear in the web gallery and on job pages;
 * the adapter that takes a request decides (a direct message or a channel marked private is PRIVATE), and anything
 * it does not mark stays PRIVATE.
 */
public enum Visibility {
    PUBLIC, PRIVATE
}
