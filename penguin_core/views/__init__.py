"""Views of a network: numbers and figures that open the closed box, for the Playground and a notebook.

    regions.decision_regions(network, training_frame, "flipper_length_mm", "bill_length_mm")
    drawing.draw_network(network, x_raw)           # nodes, edges, and one penguin's values at every node
    contributions.shapley_values(network, x, background), contributions.permutation_importances(...)

Each takes a Network (and data) and returns plain values; the Playground's
browser component draws them (``views.browser`` packs them for it).
Replay uses the engine's snapshots (``Training.network_at``).
"""
