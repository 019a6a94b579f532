/**
 * vqclip turns a text prompt into an image with VQGAN+CLIP and answers on the platform the prompt came from.
 *
 * <pre>
 *  prompt     "a lighthouse at dusk:1.2 | fog:-0.5"   from discord, twitter, web or cli
 *    |          prompt: parse weights, stops and schedule into a Recipe; moderation and token limits
 *    v
 *  job        job.JobService.submit: per-user limits, quota, fair tag; a QUEUED row in the store
 *    |          job.Worker: claims the fair head under a lease, heartbeats progress
 *    v
 *  optimizer  engine.Renderer: z -- VQGAN decode -- cutouts -- CLIP -- spherical loss -- Adam on z
 *    |          engine.optimize drives engine.vqgan and engine.clip (layers in engine.nn, files in engine.weights)
 *    v
 *  image      provenance: recipe as LSB payload, PNG text and XMP, robust watermark; the job is DONE
 *    |
 *    v
 *  reply      job events: the Discord card, the X reply, the web page, the file the CLI asked for
 * </pre>
 *
 * <p>{@code app} builds and wires all of it; {@code cli} only parses flags.
 */
package dev.vqclip;
