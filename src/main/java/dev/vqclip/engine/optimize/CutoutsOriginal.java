package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Random square crops resized with the reference {@link Resample}: K. Crowson's {@code MakeCutouts} (nerdyrodent's
 * {@code MakeCutoutsOrig}, {@code --cut_method original}). Crop side {@code int(u^cut_pow·(max−min)+min)} with
 * max = min(W, H) and min = min(W, H, cut_size), offsets uniform in [0, W−size] and [0, H−size].
 *
 * <p>Identical crops are resampled and scored once, with their multiplicity ({@link CutoutBatch}). Every cutout,
 * whatever its crop size, is one slice of a single batched product {@code Wy[n] @ image @
 * Wx[n]ᵀ}: the crop offset is folded into the resize matrices (zero columns outside the crop), so all cutouts go
 * through two matmuls instead of one resize call each. The 1-D resize matrices are cached per crop size.
 */
final class CutoutsOriginal implements Cutouts {
    private final int cutSize;
    private final BiFunction<Integer, Integer, List<Crop>> crops;
    private final Map<Integer, float[]> resizeBySize = new HashMap<>();

    private CutoutsOriginal(int cutSize, BiFunction<Integer, Integer, List<Crop>> crops) {
        if (cutSize < 1) {
            throw new IllegalArgumentException("cut size must be >= 1, got " + cutSize);
        }
        this.cutSize = cutSize;
        this.crops = crops;
    }

    /** New random crops on every call, drawn from {@code rng} (seeded by the caller for reproducibility). */
    public static CutoutsOriginal random(int cutSize, int cutn, double cutPow, SplittableRandom rng) {
        if (cutn < 1) {
            throw new IllegalArgumentException("cutn must be >= 1, got " + cutn);
        }
        if (!(cutPow > 0) || Double.isInfinite(cutPow)) {
            throw new IllegalArgumentException("cut_pow must be a positive number, got " + cutPow);
        }
        return new CutoutsOriginal(cutSize, (w, h) -> randomCrops(cutSize, cutn, cutPow, rng, w, h));
    }

    /** The same crops on every call (the parity fixtures' deterministic variant). */
    public static CutoutsOriginal fixed(int cutSize, List<Crop> crops) {
        List<Crop> copy = List.copyOf(crops);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("fixed cutouts need at least one crop");
        }
        return new CutoutsOriginal(cutSize, (w, h) -> copy);
    }

    static List<Crop> randomCrops(int cutSize, int cutn, double cutPow, SplittableRandom rng, int w, int h) {
        int maxSize = Math.min(w, h);
        int minSize = Math.min(maxSize, cutSize);
        List<Crop> out = new ArrayList<>(cutn);
        for (int i = 0; i < cutn; i++) {
            int size = (int) (Math.pow(rng.nextDouble(), cutPow) * (maxSize - minSize) + minSize);
            int x = rng.nextInt(w - size + 1);
            int y = rng.nextInt(h - size + 1);
            out.add(new Crop(size, x, y));
        }
        return out;
    }

    @Override
    public CutoutBatch apply(NDArray image) {
        Shape s = image.getShape();                               // [1, 3, H, W]
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        Map<Crop, Integer> distinct = new LinkedHashMap<>();
        for (Crop c : crops.apply(w, h)) {
            distinct.merge(c, 1, Integer::sum);
        }
        List<Crop> batch = new ArrayList<>(distinct.keySet());
        int n = batch.size();
        int[] counts = distinct.values().stream().mapToInt(Integer::intValue).toArray();
        float[] wy = new float[n * cutSize * h];
        float[] wxT = new float[n * w * cutSize];
        for (int c = 0; c < n; c++) {
            Crop crop = batch.get(c);
            crop.requireInside(w, h);
            float[] r = resizeBySize.computeIfAbsent(crop.size(), sz -> Resample.matrix(sz, cutSize)); // [R, size]
            for (int o = 0; o < cutSize; o++) {
                System.arraycopy(r, o * crop.size(), wy, (c * cutSize + o) * h + crop.y(), crop.size());
                for (int j = 0; j < crop.size(); j++) {
                    wxT[(c * w + crop.x() + j) * cutSize + o] = r[o * crop.size() + j];
                }
            }
        }
        NDManager m = image.getManager();
        NDArray rows = Ops.constant(m, wy, new Shape(n, 1, cutSize, h));    // [n, 1, R, H]
        NDArray colsT = Ops.constant(m, wxT, new Shape(n, 1, w, cutSize));  // [n, 1, W, R]
        if (!image.getDevice().equals(rows.getDevice())) {
            rows = rows.toDevice(image.getDevice(), false);
            colsT = colsT.toDevice(image.getDevice(), false);
        }
        NDArray pixels = rows.matMul(image).matMul(colsT);           // [n, 3, R, R]
        return n == distinct.values().stream().mapToInt(Integer::intValue).sum()
                ? CutoutBatch.of(pixels) : new CutoutBatch(pixels, counts);
    }

    @Override
    public boolean clampsOutput() {
        return true;
    }

    @Override
    public int cutSize() {
        return cutSize;
    }
}
