"""The training engine: a network as plain NumPy weights, Keras' update rules, and the loop that trains it.

It knows nothing of sessions, storage or pages: data and settings in, epoch records and a Run out.
"""
