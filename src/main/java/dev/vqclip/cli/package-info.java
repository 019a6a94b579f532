/**
 * The picocli commands ({@code imagine}, {@code serve}, {@code worker}, {@code queue}, {@code decode}, ...): they parse
 * flags and hand over to {@code app}.
 */
package dev.vqclip.cli;
