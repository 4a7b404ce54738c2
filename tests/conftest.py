"""Test-session setup shared by every test module.

Unit tests draw with matplotlib's non-interactive Agg backend. It is selected here, in this process
only: exporting MPLBACKEND instead would leak into the notebook kernels that nbval starts, and their
inline figures would vanish from the compared outputs.
"""

import io

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")

# ---------------------------------------------------------------------------------------------
# Shared by the explorer tests (test_explorers_nb05.py, nb06, nb09, nb10, nb11): ask for them by
# name, e.g. ``def test_x(png, pixels): pixels(png(ex))``.
# ---------------------------------------------------------------------------------------------


def _png(ex):
    return bytes(ex.image.value)


def _pixels(blob):
    with Image.open(io.BytesIO(blob)) as im:
        return np.asarray(im.convert("RGBA"))


def _sweep(control, n=9):
    """n evenly spaced values of a slider (log-spaced for a log slider), both ends included;
    every value of an integer slider."""
    if isinstance(control, widgets.FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, n))
    if isinstance(control, widgets.IntSlider):
        return list(range(control.min, control.max + 1))
    return list(np.linspace(control.min, control.max, n))


def _check_contract(ex, *, controls, readout, axes=2):
    """The explorer contract every explorer keeps (lossviz.explorers._base), with its own control
    names, readout keys and number of axes."""
    import matplotlib.pyplot as plt

    from lossviz import explorers as E

    assert isinstance(ex, E.Explorer)
    assert isinstance(ex.widget, widgets.VBox)
    assert ex.image in ex.widget.children
    bundle = ex._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert list(ex.controls) == list(controls)
    assert all(c.description for c in ex.controls.values())
    assert set(ex.readout) == set(readout)
    assert all(isinstance(v, float) for v in ex.readout.values())
    assert len(ex.figure.axes) == axes
    assert not ex.image.tooltip  # a tooltip on an Image crashes its browser view
    assert ex.alt_text and ex.alt_text in ex._caption.value.replace("&#x27;", "'")
    assert _pixels(_png(ex)).shape[:2] == (ex.height_px, ex.width_px)
    assert plt.get_fignums() == []  # nothing registered with pyplot


@pytest.fixture(scope="session")
def check_contract():
    """``check_contract(ex, controls=[...], readout={...}, axes=2)``: see ``_check_contract``."""
    return _check_contract


@pytest.fixture(scope="session")
def png():
    """``png(ex)``: the PNG bytes an explorer shows now."""
    return _png


@pytest.fixture(scope="session")
def pixels():
    """``pixels(png_bytes)``: the decoded (h, w, 4) uint8 RGBA array."""
    return _pixels


@pytest.fixture(scope="session")
def sweep():
    """``sweep(control, n=9)``: values spanning a slider's whole range (see ``_sweep``)."""
    return _sweep


@pytest.fixture(scope="session")
def houses():
    """Notebook 05's fifty houses (seed 0): sizes in m², prices in k$."""
    from lossviz import data

    size, price = data.house_prices(50, seed=0)
    return size, price / 1000
