"""The app's pages: the scripts in ``pages/lab/`` (one a page, listed in ``penguin_core.workflow.PAGES``
and drawn inside app.py's navigation) and the drawing they share in ``pages/ui/``.

The scripts sit one folder down so that Streamlit's old automatic navigation, which runs any ``pages/*.py``
on its own, never finds one. Each reads the lab (``the_lab``), calls its verbs and draws; each ends the same
way, at its last line, so app.py saves the lab and writes the address after every page.
"""
