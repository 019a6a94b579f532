/**
 * The model catalog ({@code config/models.yaml}) and the resumable, sha256-checked downloader that fills the models
 * folder.
 */
package dev.vqclip.engine.weights.catalog;
