package dev.vqclip.engine.weights.catalog;

import java.nio.file.Path;

/**
 * The outcome of re-hashing one model file.
 *
 * @param model    the catalog entry the file belongs to
 * @param file     the catalog's description of the file
 * @param path     where it was looked for
 * @param status   the verdict
 * @param expected the hash it should have (catalog or first-use record), null when none existed
 * @param actual   the hash it has, null when the file is missing
 */
public record FileCheck(String model, ModelFile file, Path path, Status status, String expected, String actual) {

    public enum Status {
        /** Matches the catalog's hash or the hash recorded on first download. */
        OK,
        /** No hash was known; the computed one is now recorded (trust on first use). */
        RECORDED,
        /** Not on disk. */
        MISSING,
        /** On disk with different content than expected. */
        MISMATCH
    }

    public boolean ok() {
        return status == Status.OK || status == Status.RECORDED;
    }

    /** One line for people: file, verdict, and for a mismatch both hashes. */
    public String describe() {
        return switch (status) {
            case OK -> path + ": OK (sha256 " + actual + ")";
            case RECORDED -> path + ": recorded sha256 " + actual + " (no published checksum; trust on first use)";
            case MISSING -> path + ": missing";
            case MISMATCH -> path + ": MISMATCH, expected sha256 " + expected + ", got " + actual;
        };
    }
}
