package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.clip.ClipNormalize;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CLIP and the prompt losses over one step's cutouts leaf, {@link MemoryPlan#clipBatch()} rows at a time. The leaf
 * holds the cutouts of every job of the step, job after job; each group's prompt losses are back-propagated into
 * the leaf before the next group runs, so only one group's CLIP activations are alive at once. A prompt loss is a
 * mean over its job's cutouts, so the sum of a job's partial losses over the groups is its whole loss and gradient;
 * no term couples two jobs, so each job gets its solo gradient.
 */
final class ClipPasses {
    private ClipPasses() {
    }

    /**
     * One job's rows of the leaf and the prompts that score them.
     *
     * @param counts multiplicity of each row ({@link CutoutBatch#counts()}); null: one each
     */
    record Rows(int offset, int count, int[] counts, List<SphericalPrompt> prompts) {
    }

    /**
     * Runs the passes; returns, per job and per prompt, the loss over all of that job's cutouts (detached scalars).
     * The probe sees every image embedding of the step at the end.
     */
    static NDArray[][] run(GradientCollector gc, ImageEncoder clip, NDArray cut, List<Rows> jobs, int clipBatch,
                           StepProbe probe) {
        int n = Math.toIntExact(cut.getShape().get(0));
        int group = clipBatch == 0 ? n : clipBatch;
        float[] shares = new float[n];
        NDArray[][] terms = new NDArray[jobs.size()][];
        for (int j = 0; j < jobs.size(); j++) {
            Rows r = jobs.get(j);
            float[] own = SphericalPrompt.rowShares(r.counts() == null ? ones(r.count()) : r.counts());
            System.arraycopy(own, 0, shares, r.offset(), r.count());
            terms[j] = new NDArray[r.prompts().size()];
        }
        NDList embedGroups = new NDList();
        for (int start = 0; start < n; start += group) {
            int from = start;
            int to = Math.min(n, start + group);
            List<Integer> scored = new ArrayList<>();   // the jobs with rows in this group
            for (int j = 0; j < jobs.size(); j++) {
                Rows r = jobs.get(j);
                if (r.offset() < to && r.offset() + r.count() > from) {
                    scored.add(j);
                }
            }
            NDList kept = Ops.scopedList(cut.getManager(), () -> {
                NDArray embeds = clip.encodeImage(ClipNormalize.apply(cut.get(from + ":" + to))); // [g, D]
                probe.clipForward();
                // one host-to-device copy per group, shared by every prompt
                NDArray groupShares = embeds.getManager().create(Arrays.copyOfRange(shares, from, to),
                        new Shape(to - from));                                                    // [g]
                NDList out = new NDList(embeds.stopGradient());
                NDArray groupLoss = null;
                for (int j : scored) {
                    Rows r = jobs.get(j);
                    int lo = Math.max(from, r.offset()) - from;
                    int hi = Math.min(to, r.offset() + r.count()) - from;
                    boolean whole = lo == 0 && hi == to - from;
                    NDArray rows = whole ? embeds : embeds.get(lo + ":" + hi);                     // [h, D]
                    NDArray rowShares = whole ? groupShares : groupShares.get(lo + ":" + hi);      // [h]
                    for (SphericalPrompt p : r.prompts()) {
                        NDArray l = p.partialLoss(rows, rowShares);
                        out.add(l.stopGradient());
                        groupLoss = groupLoss == null ? l : groupLoss.add(l);
                    }
                }
                if (groupLoss != null) {
                    gc.backward(groupLoss);
                }
                probe.clipBackward();
                return out;
            });
            embedGroups.add(kept.get(0));
            int at = 1;
            for (int j : scored) {
                NDArray[] own = terms[j];
                for (int p = 0; p < own.length; p++) {
                    NDArray l = kept.get(at++);
                    own[p] = own[p] == null ? l : own[p].add(l);
                }
            }
        }
        probe.imageEmbeds(embedGroups.size() == 1 ? embedGroups.get(0) : NDArrays.concat(embedGroups));
        return terms;
    }

    private static int[] ones(int n) {
        int[] v = new int[n];
        Arrays.fill(v, 1);
        return v;
    }
}
