"""The lesson's ten steps to success, and which page of the app does each."""

STEPS = [
    ("Formulate the problem", "Classification: which of three species is this penguin?", "pages/start.py"),
    ("Identify inputs and outputs", "Four measurements in, one species out.", "pages/explore.py"),
    ("Prepare data", "Drop what we don't use, one-hot the target, split train and test.", "pages/prepare.py"),
    ("Choose a pretrained model or build an architecture", "One hidden Dense layer of 10 neurons.",
     "pages/architecture.py"),
    ("Choose a loss function and optimizer", "Categorical cross-entropy and Adam.", "pages/architecture.py"),
    ("Train the model", "Watch the loss fall epoch by epoch.", "pages/train.py"),
    ("Perform a prediction", "Move the sliders: what species is your penguin?", "pages/predict.py"),
    ("Measure performance", "Test accuracy and the confusion matrix.", "pages/train.py"),
    ("Tune hyperparameters", "Change a setting, train again, compare the runs.", "pages/train.py"),
    ("Share the model", "Download a .keras file anyone can load.", "pages/share.py"),
]
"""(step, what it means here, page file) in the lesson's order."""
