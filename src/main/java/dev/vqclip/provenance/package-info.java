/**
 * The recipe carried in every image, with the JDK only: Stegano-compatible LSB payload, PNG text and XMP chunks, the
 * robust watermark, and reading them back.
 */
package dev.vqclip.provenance;
