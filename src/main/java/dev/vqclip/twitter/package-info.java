/**
 * The X adapter (API v2, OAuth 1.0a): mentions become jobs, finished jobs become replies with the image, within the
 * monthly read and post budgets.
 */
package dev.vqclip.twitter;
