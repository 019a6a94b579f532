package dev.vqclip.engine.optimize;

import java.util.Locale;

/**
 * Adam or AdamW hyper-parameters with torch's meaning. {@code decoupled} = AdamW (weight decay multiplies the
 * parameter by 1 − lr·wd before the update); otherwise weight decay is torch Adam's L2 term added to the gradient.
 */
public record AdamSettings(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    public AdamSettings {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive number, got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a number >= 0, got " + weightDecay);
        }
    }

    /** torch defaults for {@code name} ("adam": no decay; "adamw": decay 0.01) at learning rate {@code lr}. */
    public static AdamSettings named(String name, double lr) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "adam" -> new AdamSettings(lr, 0.9, 0.999, 1e-8, 0.0, false);
            case "adamw" -> new AdamSettings(lr, 0.9, 0.999, 1e-8, 0.01, true);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "': expected adam or adamw");
        };
    }
}
