"""Which code each side of each unitary claim runs (the claim cards)."""

from proofs_checks.registry import Sides, annotate

# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "unitary.forgets_initial_state": Sides(
        symbolic=("theory.unitary.forgetting_bound",),
        numeric=("numerics.unitary.contractive_matrix", "numerics.unitary.simulate"),
        lambdified=("theory.unitary.forgetting_bound",),
    ),
    "unitary.state_bound": Sides(
        symbolic=("theory.unitary.state_bound_recurrence",),
        numeric=("numerics.unitary.contractive_matrix", "numerics.unitary.state_bound", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.simulate"),
        lambdified=("theory.unitary.state_bound_recurrence",),
    ),
    "unitary.urnn_nonexpansive": Sides(
        symbolic=("theory.unitary.nonexpansive_isometry",),
        numeric=("numerics.unitary.haar_orthogonal", "numerics.unitary.simulate", "numerics.unitary.require_orthogonal"),
    ),
    "unitary.reparam_identity": Sides(
        symbolic=("theory.unitary.reparam_identity_proof",),
        numeric=("numerics.unitary.contractive_matrix", "numerics.unitary.haar_orthogonal", "numerics.unitary.reparameterize", "numerics.unitary.simulate"),
    ),
    "unitary.reparam_relu": Sides(
        symbolic=("theory.unitary.reparam_relu_check",),
        numeric=("numerics.unitary.random_relu_rnn", "numerics.unitary.reparameterize", "numerics.unitary.simulate", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.sample_bounded_inputs"),
    ),
    "unitary.halmos_dilation": Sides(
        symbolic=("theory.unitary.halmos_dilation_symbolic", "theory.unitary.intertwining_monomials", "theory.unitary.scalar_dilation", "theory.unitary.rational_orthogonal", "theory.unitary.pythagorean_pairs", "theory.unitary.svd_dilation", "theory.unitary.is_orthogonal"),
        numeric=("numerics.unitary.contractive_matrix", "numerics.unitary.halmos_dilation", "numerics.unitary.orthogonality_defect"),
    ),
    "unitary.no_dilation_if_expansive": Sides(
        symbolic=("theory.unitary.expansive_obstruction",),
        numeric=("numerics.unitary.haar_orthogonal", "numerics.unitary.contractive_matrix", "numerics.unitary.halmos_dilation"),
    ),
    "unitary.extra_block_silent": Sides(
        symbolic=("theory.unitary.extra_block_chain",),
        numeric=("numerics.unitary.random_relu_rnn", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.extra_state_margin", "numerics.unitary.simulate"),
    ),
    "unitary.relu_equivalence_2n": Sides(
        symbolic=("theory.unitary.theorem1_block_step",),
        numeric=("numerics.unitary.random_relu_rnn", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.simulate", "numerics.reference_rnn.reference_simulate", "numerics.unitary.extra_state_margin"),
    ),
    "unitary.reduced_n_plus_r": Sides(
        symbolic=("theory.unitary.rational_orthogonal", "theory.unitary.pythagorean_pairs", "theory.unitary.reduced_dilation_exact", "theory.unitary.is_orthogonal"),
        numeric=("numerics.unitary.contractive_matrix", "numerics.unitary.reduced_dilation", "numerics.unitary.orthogonality_defect", "numerics.unitary.random_relu_rnn", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.simulate"),
    ),
    "unitary.unused_block_freedom": Sides(
        symbolic=("theory.unitary.theorem1_block_step",),
        numeric=("numerics.unitary.random_relu_rnn", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.simulate", "numerics.unitary.haar_orthogonal", "numerics.unitary.complete_orthogonal", "numerics.unitary.orthogonality_defect"),
    ),
    "unitary.complex_unitary_variant": Sides(
        symbolic=("theory.unitary.complex_scalar_unitary", "theory.unitary.gaussian_unitary", "theory.unitary.pythagorean_pairs", "theory.unitary.svd_dilation", "theory.unitary.is_orthogonal"),
        numeric=("numerics.unitary.random_relu_rnn", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.simulate", "numerics.reference_rnn.reference_simulate", "numerics.unitary.halmos_dilation", "numerics.unitary.orthogonality_defect"),
    ),
    "unitary.input_bound_required": Sides(
        symbolic=(),
        numeric=("numerics.unitary.random_relu_rnn", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.extra_state_margin", "numerics.unitary.check_io_equivalence", "numerics.unitary.simulate"),
    ),
    "unitary.nonexpansive_finite_horizon": Sides(
        symbolic=(),
        numeric=("numerics.unitary.random_relu_rnn", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.state_bound", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.simulate"),
    ),
    "unitary.tightness_example": Sides(
        symbolic=("theory.unitary.is_orthogonal",),
        numeric=("numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.sample_bounded_inputs", "numerics.unitary.simulate"),
    ),
    "unitary.tightness_lower_bound": Sides(
        symbolic=("theory.unitary.tightness_jacobians", "theory.unitary.tightness_n1_exhaustive", "theory.unitary.dimension_lemma_exact"),
        numeric=("numerics.unitary.haar_orthogonal", "numerics.unitary.svd_rank"),
    ),
    "unitary.smooth_linearization_invertible": Sides(
        symbolic=("theory.unitary.smooth_linearization_det",),
        numeric=("numerics.activations.get_activation", "numerics.unitary.haar_orthogonal"),
    ),
    "unitary.krylov_invariance": Sides(
        symbolic=("theory.unitary.rational_orthogonal", "theory.unitary.krylov_invariance_exact"),
        numeric=("numerics.unitary.haar_orthogonal", "numerics.unitary.orthonormal_krylov"),
    ),
    "unitary.smooth_no_urnn": Sides(
        symbolic=("theory.unitary.memoryless_no_readout_exact",),
        numeric=("numerics.unitary.haar_orthogonal", "numerics.unitary.smooth_jacobians", "numerics.unitary.memoryless_certificate"),
    ),
    "unitary.sigmoid_fixed_point": Sides(
        symbolic=("theory.unitary.sigmoid_slope_max",),
        numeric=("numerics.unitary.haar_orthogonal", "numerics.unitary.sigmoid_fixed_point"),
    ),
    "unitary.minimal_realization_nonsingular": Sides(
        symbolic=("theory.unitary.hankel_condition_exact",),
        numeric=("numerics.unitary.contractive_matrix", "numerics.unitary.simulate", "numerics.unitary.hankel_rank_test", "numerics.unitary.minimal_realization"),
    ),
    "unitary.relu_contrast": Sides(
        symbolic=("theory.unitary.relu_contrast_powers",),
        numeric=("numpy.linalg.matrix_power",),
    ),
    "unitary.optimal_r2": Sides(
        symbolic=("theory.unitary.optimal_r2_derivation", "theory.unitary.optimal_r2"),
        numeric=("numerics.unitary.optimal_r2", "numerics.unitary.r2_monte_carlo"),
        lambdified=("theory.unitary.optimal_r2",),
    ),
    "unitary.teacher_contractive": Sides(
        symbolic=("theory.unitary.teacher_spectrum",),
        numeric=("numerics.unitary.teacher_matrix", "numerics.unitary.relu_rnn_to_urnn", "numerics.unitary.simulate", "numerics.unitary.optimal_r2"),
        lambdified=("theory.unitary.teacher_spectrum",),
    ),
    "unitary.orthogonal_projection": Sides(
        symbolic=("theory.unitary.rotation_distance",),
        numeric=("numerics.unitary.polar_factor", "numerics.unitary.haar_orthogonal", "numerics.unitary.clip_singular_values"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
