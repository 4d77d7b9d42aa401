"""The app's pages in one list, and the lesson's ten steps on them.

The navigation (app.py), the start page's ten steps, the sidebar's progress
and the page tests all read ``PAGES``: a new page is one entry here and one
file. A first request straight to a page's address on a fresh server is
served in Streamlit's old automatic navigation (the files sit directly in
``pages/``); ``pages.inside_the_app`` runs the app around such a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    icon: str
    section: str

    @property
    def url(self) -> str:
        """Its address after the server's, e.g. 'train' for pages/workflow/train.py."""
        return PurePosixPath(self.file).stem


PAGES = (
    Page("pages/start.py", "Start", ":material/home:", "Start"),
    Page("pages/neuron.py", "A neuron", ":material/psychology:", "Warm-up"),
    Page("pages/explore.py", "1–2 · Explore the data", ":material/search:", "The workflow"),
    Page("pages/prepare.py", "3 · Prepare", ":material/cleaning_services:", "The workflow"),
    Page("pages/architecture.py", "4–5 · Architecture", ":material/account_tree:", "The workflow"),
    Page("pages/train.py", "6, 8, 9 · Train & evaluate", ":material/model_training:", "The workflow"),
    Page("pages/playground.py", "Playground", ":material/insights:", "Inside the network"),
    Page("pages/predict.py", "7 · Predict", ":material/online_prediction:", "The workflow"),
    Page("pages/sweep.py", "9 · Sweep a setting", ":material/tune:", "Experiments"),
    Page("pages/compare.py", "9 · Compare runs", ":material/compare_arrows:", "Experiments"),
    Page("pages/share.py", "10 · Share", ":material/share:", "The workflow"),
    Page("pages/classroom.py", "Classroom", ":material/groups:", "Classroom"),
    Page("pages/instructor.py", "Instructor's board", ":material/dashboard:", "Classroom"),
    Page("pages/environment.py", "Environment", ":material/build:", "Setup"),
)
"""Every page, in the navigation's order; the first is the default."""


def page(url: str) -> Page:
    """The page at ``url`` ('train'), KeyError if there is none."""
    for entry in PAGES:
        if entry.url == url:
            return entry
    raise KeyError(url)


STEPS = [
    ("Formulate the problem", "Classification: which of three species is this penguin?", "start"),
    ("Identify inputs and outputs", "Four measurements in, one species out.", "explore"),
    ("Prepare data", "Drop what we don't use, one-hot the target, split train and test.", "prepare"),
    ("Choose a pretrained model or build an architecture", "One hidden Dense layer of 10 neurons.", "architecture"),
    ("Choose a loss function and optimizer", "Categorical cross-entropy and Adam.", "architecture"),
    ("Train the model", "Watch the loss fall epoch by epoch.", "train"),
    ("Perform a prediction", "Move the sliders: what species is your penguin?", "predict"),
    ("Measure performance", "Test accuracy and the confusion matrix.", "train"),
    ("Tune hyperparameters", "Sweep a setting over several seeds: does it matter, or is it the seed?", "sweep"),
    ("Share the model", "Download a .keras file anyone can load.", "share"),
]
"""(step, what it means here, page url) in the lesson's order."""
