"""The one exception type the core raises for a learner's mistake."""


class PenguinError(ValueError):
    """Bad input, with a message written for a learner: what was wrong and what is accepted.

    Pages show it with ``st.error`` and the command line prints it on one line;
    anything else that goes wrong is a bug and keeps its traceback for the logs.
    """
