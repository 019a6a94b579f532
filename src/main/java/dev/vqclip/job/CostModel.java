package dev.vqclip.job;

import dev.vqclip.prompt.Recipe;

/**
 * Estimated GPU time of a recipe, the currency of quotas and of fair queuing. One optimizer step costs roughly
 * the decoder's work (proportional to the pixels) plus CLIP's (proportional to the cutouts), so the raw estimate
 * is {@code iterations × (pixels / 256² + cutn / 32) × msPerUnit}; the service multiplies it by the ratio of
 * actual to estimated cost over recently finished jobs (scheduler.md §3, "calibrated from actual_gpu_ms").
 *
 * @param msPerUnit milliseconds of one unit (a 256×256, cutn-32 step costs two units)
 */
public record CostModel(double msPerUnit) {
    public CostModel {
        if (!(msPerUnit > 0) || Double.isInfinite(msPerUnit)) {
            throw new IllegalArgumentException("ms per cost unit must be a positive number, got " + msPerUnit);
        }
    }

    /** 100 ms per unit: 0.2 s per 256×256 step with 32 cutouts, a mid-range GPU's pace. */
    public static CostModel defaults() {
        return new CostModel(100);
    }

    public double units(Recipe recipe) {
        double perStep = recipe.width() * (double) recipe.height() / (256.0 * 256.0) + recipe.cutn() / 32.0;
        return Math.max(1, recipe.iterations()) * perStep;
    }

    /** @param calibration actual ÷ estimated cost of recent jobs (1 when unknown) */
    public long estimateMs(Recipe recipe, double calibration) {
        double factor = Double.isFinite(calibration) && calibration > 0 ? calibration : 1.0;
        return Math.max(1, Math.round(units(recipe) * msPerUnit * factor));
    }
}
