// SparseVD's KL maths lives with its fused op in the engine; the Bayesian layers import it from here.
export { logAlpha, klMolchanov, klRepo, klElementwise, sparseVdKl, LOG_ALPHA_CLIP, PRUNE_LOG_ALPHA, type KlForm } from '../../engine/ops/sparse_vd_kl.js';
