"""The app's pages in one list, and the lesson's ten steps on them.

The navigation (app.py), the start page's ten steps, the sidebar's progress
and the page tests all read ``PAGES``: a new page is one entry here and one
file in ``pages/lab/`` (a folder Streamlit's automatic page discovery never
looks into).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Page:
    """file: its script; title, icon: in the navigation; section: where it belongs in the lesson; steps: the
    lesson's steps (1 to 10) it shows; marks: the progress a visit marks; prefix: its widgets' keys' start."""

    file: str
    title: str
    icon: str
    section: str
    prefix: str
    steps: tuple[int, ...] = ()
    marks: str = ""

    @property
    def url(self) -> str:
        """Its address after the server's, e.g. 'train' for pages/lab/train.py."""
        return PurePosixPath(self.file).stem


PAGES = (
    Page("pages/lab/start.py", "Start", ":material/home:", "Start", "start_", (1,)),
    Page("pages/lab/neuron.py", "A neuron", ":material/psychology:", "Warm-up", "neuron_"),
    Page("pages/lab/explore.py", "1–2 · Explore the data", ":material/search:", "The workflow", "explore_", (2,),
         "data explored"),
    Page("pages/lab/prepare.py", "3 · Prepare", ":material/cleaning_services:", "The workflow", "prep_", (3,),
         "data prepared"),
    Page("pages/lab/architecture.py", "4–5 · Architecture", ":material/account_tree:", "The workflow", "arch_",
         (4, 5), "model built"),
    Page("pages/lab/train.py", "6, 8, 9 · Train & evaluate", ":material/model_training:", "The workflow", "train_",
         (6, 8)),
    Page("pages/lab/playground.py", "Playground", ":material/insights:", "Inside the network", "play_"),
    Page("pages/lab/predict.py", "7 · Predict", ":material/online_prediction:", "The workflow", "predict_", (7,)),
    Page("pages/lab/sweep.py", "9 · Sweep a setting", ":material/tune:", "Experiments", "sweep_", (9,)),
    Page("pages/lab/compare.py", "9 · Compare runs", ":material/compare_arrows:", "Experiments", "compare_"),
    Page("pages/lab/share.py", "10 · Share", ":material/share:", "The workflow", "share_", (10,)),
    Page("pages/lab/classroom.py", "Classroom", ":material/groups:", "Classroom", "class_"),
    Page("pages/lab/instructor.py", "Instructor's board", ":material/dashboard:", "Classroom", "board_"),
    Page("pages/lab/environment.py", "Environment", ":material/build:", "Setup", "environment_"),
)
"""Every page, in the navigation's order; the first is the default."""

SHARED_PREFIXES = ("frame_", "projector_", "share_", "pushed_", "exercise_")
"""Keys of what every page shares (app.py's frame, the sidebar, an instructor's pushed setup, exercises);
every other key of a tab's session state but the lab's starts with its page's ``prefix``."""

TRAINED = "model trained"
"""The progress a current model marks (trained, stopped or uploaded), whatever page made it."""


def page(url: str) -> Page:
    """The page at ``url`` ('train'), KeyError if there is none."""
    for entry in PAGES:
        if entry.url == url:
            return entry
    raise KeyError(url)


def progress(visited: set[str], trained: bool) -> dict[str, bool]:
    """Where a learner is: each page's mark, in the lesson's order, done once it was visited; then the model."""
    return {**{entry.marks: entry.url in visited for entry in PAGES if entry.marks}, TRAINED: trained}


STEPS = (
    ("Formulate the problem", "Classification: which of three species is this penguin?"),
    ("Identify inputs and outputs", "Four measurements in, one species out."),
    ("Prepare data", "Drop what we don't use, one-hot the target, split train and test."),
    ("Choose a pretrained model or build an architecture", "One hidden Dense layer of 10 neurons."),
    ("Choose a loss function and optimizer", "Categorical cross-entropy and Adam."),
    ("Train the model", "Watch the loss fall epoch by epoch."),
    ("Perform a prediction", "Move the sliders: what species is your penguin?"),
    ("Measure performance", "Test accuracy and the confusion matrix."),
    ("Tune hyperparameters", "Sweep a setting over several seeds: does it matter, or is it the seed?"),
    ("Share the model", "Download a .keras file anyone can load."),
)
"""The lesson's ten steps, (step, what it means here), in order: step n is ``STEPS[n - 1]``."""


def step_page(number: int) -> Page:
    """The page that shows the lesson's step ``number`` (1 to 10)."""
    return next(entry for entry in PAGES if number in entry.steps)
