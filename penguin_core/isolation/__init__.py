"""Work that must not be able to hurt the server runs in other processes, with a time and a memory limit.

``sandbox.run_isolated``: a fresh process per call, for untrusted bytes (an uploaded file's weights).
``worker.Worker``: a long-lived process answering calls one at a time (Keras), killed and restarted
when a call passes its limits, so the server and the other learners carry on.
"""
