# Voila's settings that need Python (voila.json holds the rest). Read by `make explore` and by
# the hub's servers (JUPYTER_CONFIG_PATH), as voila.json is.
#
# A dashboard tab shuts its kernel down when it closes: Voila's page sends a beacon on
# "beforeunload" whose XSRF token is the page's _xsrf cookie. Voila's page handler never sets that
# cookie, so the server refused the beacon (403 "'_xsrf' argument missing from POST") and every
# closed or reloaded tab left a kernel of about 125 MB running. Reading the handler's xsrf_token
# sets the cookie. (`make classroom`, whose warm kernels rule out a prelaunch hook, does the same in
# tools/classroom.py.) tests/browser/test_voila.py checks that a closed tab's kernel goes.


def set_xsrf_cookie(req, notebook, cwd):
    req.xsrf_token  # noqa: B018 - read for its side effect: the _xsrf cookie on the page


c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie  # noqa: F821 - `c` is the config loader's
