"""Test-session setup shared by every test module.

Unit tests draw with matplotlib's non-interactive Agg backend. It is selected here, in this process
only: exporting MPLBACKEND instead would leak into the notebook kernels that nbval starts, and their
inline figures would vanish from the compared outputs.
"""

import matplotlib

matplotlib.use("Agg")
