/**
 * The composition root: builds the store, scheduler, workers and adapters from typed configuration and wires them
 * together.
 */
package dev.vqclip.app;
