"""numerics.response input checks that must hold at every scale."""

from types import SimpleNamespace

import numpy as np
import pytest

from numerics import InputError
from numerics.response import girsanov_theta


@pytest.mark.parametrize("scale", [1.0, 1e-160, 1e-300])
def test_girsanov_theta_refuses_C_outside_the_range_of_sigma_at_any_scale(scale):
    # sigma spans e1 only; C points along e2, so C is not in range(sigma) however small it is
    model = SimpleNamespace(sigma=np.array([[1.0, 0.0], [0.0, 0.0]]), C=scale * np.array([[0.0], [1.0]]))
    with pytest.raises(InputError, match="sigma"):
        girsanov_theta(model, np.ones((3, 1)))


def test_girsanov_theta_is_sigma_pinv_C_u_for_C_in_the_range():
    model = SimpleNamespace(sigma=np.diag([2.0, 0.0]), C=1e-200 * np.array([[3.0], [0.0]]))
    theta = girsanov_theta(model, np.array([[1.0], [2.0]]))
    np.testing.assert_allclose(theta, [[1.5e-200, 0.0], [3e-200, 0.0]], rtol=1e-14)
