"""Views across the corpus: claims, the network of who said what, and the timeline."""
