"""What screen readers need from an explorer that ipywidgets 8 does not give by itself.

ipywidgets draws a slider as a noUiSlider handle (``role="slider"``) with no accessible name
(the visible ``<label>`` is not tied to it) and, for ``FloatLogSlider``, a value text that is the
exponent (``aria-valuetext="-0.046"`` for p = 0.9); ``ipywidgets.Image`` has no ``alt``; and an
``HTML`` widget cannot be a live region, because its content element is replaced on every update.

:class:`AccessibilityHelper` is an invisible widget placed inside each explorer. Its view finds the
explorer (``.lossviz-explorer``) around it and keeps, as the explorer changes:

- every slider handle's ``aria-label`` equal to the slider's visible label, and its
  ``aria-valuetext`` equal to the slider's visible readout (``"0.9"``, not the exponent);
- every slider handle marked ``data-lm-suppress-shortcuts``, so that the arrow keys move the
  focused slider instead of triggering the notebook's command-mode shortcuts (in Notebook 7,
  ArrowRight on a slider otherwise jumps to the next heading);
- the picture's ``alt`` equal to the visible caption (the picture's one-sentence description);
- a polite live region (``role="status"``, ``aria-live="polite"``) holding the readout's text,
  written ``delay_ms`` after the readout stops changing, so a screen reader announces the new
  numbers once after a move instead of on every intermediate frame.

It works the same in JupyterLab, Notebook 7 and Voila (anywidget ships its front-end extension),
needs no kernel round trip (it reads the page), and loads nothing from the network.
"""

from __future__ import annotations

import anywidget
import traitlets

#: DOM class of the live region (what the browser tests read).
LIVE_CLASS = "lossviz-live"

_ESM = r"""
const HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;" +
  "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0";
const text = (e) => (e ? e.textContent.replace(/\s+/g, " ").trim() : "");
const setAttr = (e, name, value) => {
  if (value && e.getAttribute(name) !== value) e.setAttribute(name, value);
};

function render({ model, el }) {
  el.style.cssText = HIDDEN;
  const live = document.createElement("div");
  live.className = "LIVE_CLASS";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  el.appendChild(live);
  let observer = null, timer = null, waiting = null, heard = null, stopped = false;

  const apply = (root) => {
    for (const slider of root.querySelectorAll(".widget-slider")) {
      const handle = slider.querySelector(".noUi-handle");
      if (!handle) continue;
      setAttr(handle, "aria-label", text(slider.querySelector(".widget-label")));
      setAttr(handle, "aria-valuetext", text(slider.querySelector(".widget-readout")));
      // the arrow keys belong to the focused slider, not to the notebook's command-mode
      // shortcuts (ArrowLeft/Right jump between headings in JupyterLab 4 and Notebook 7)
      setAttr(handle, "data-lm-suppress-shortcuts", "true");
    }
    const img = root.querySelector("img.lossviz-picture");
    if (img) setAttr(img, "alt", text(root.querySelector(".lossviz-caption")));
    const now = text(root.querySelector(".lossviz-readout"));
    if (heard === null) {
      heard = now;
      live.textContent = now;  // the starting numbers: present, not announced
    } else if (now !== heard) {
      heard = now;
      clearTimeout(timer);
      timer = setTimeout(() => { live.textContent = heard; }, model.get("delay_ms"));
    }
  };

  const start = () => {
    if (stopped) return;
    const root = el.closest(".lossviz-explorer");
    if (!root) {  // the view is rendered before it is attached to the page
      waiting = setTimeout(start, 50);
      return;
    }
    observer = new MutationObserver(() => apply(root));
    observer.observe(root, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ["aria-valuenow", "aria-valuetext", "src"],
    });
    apply(root);
  };
  start();
  return () => {
    stopped = true;
    clearTimeout(waiting);
    clearTimeout(timer);
    if (observer) observer.disconnect();
  };
}
export default { render };
""".replace("LIVE_CLASS", LIVE_CLASS)


class AccessibilityHelper(anywidget.AnyWidget):
    """Invisible helper that names an explorer's sliders and picture and announces its readout.

    Place it anywhere inside the explorer's root widget (the one with the DOM class
    ``lossviz-explorer``); see the module docstring for what its view does.

    Parameters
    ----------
    delay_ms : int
        Quiet time after the last readout change before the live region is updated (and a
        screen reader speaks), in milliseconds, 0..5000.
    """

    _esm = _ESM
    delay_ms = traitlets.Int(600).tag(sync=True)

    def __init__(self, delay_ms=600, **kwargs):
        if isinstance(delay_ms, bool) or not isinstance(delay_ms, int) or not (
                0 <= delay_ms <= 5000):
            raise ValueError(f"AccessibilityHelper: delay_ms must be an int in 0..5000 "
                             f"milliseconds, got {delay_ms!r}")
        super().__init__(delay_ms=delay_ms, **kwargs)
        self.add_class("lossviz-a11y")
